package io.crvecdb.samples.rag.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Bad input from a client: answered with HTTP 400 and a problem detail whose {@code field} names
 * the input (a JSON property or request parameter) and whose {@code detail} says what is wrong
 * with it and what to send instead.
 */
class InvalidInputException extends ErrorResponseException {

    InvalidInputException(String field, String detail) {
        super(HttpStatus.BAD_REQUEST, problem(field, detail), null);
    }

    private static ProblemDetail problem(String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid " + field);
        problem.setProperty("field", field);
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getTitle() + ": " + getBody().getDetail();
    }
}
