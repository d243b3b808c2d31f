package io.crvecdb.samples.rag.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's problem details, with a body that cannot be read answered like our own bad input:
 * the problem names the field (a JSON path such as {@code documents[0].text}) and says what was
 * wrong with it; a body over the size limit is 413.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    /** Jackson quotes the input it rejects: keep a detail about that short. */
    private static final int MAX_DETAIL = 300;

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestSizeLimit.TooLargeException tooLarge = cause(ex, RequestSizeLimit.TooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        JacksonException json = cause(ex, JacksonException.class);
        if (json == null) {
            return ResponseEntity.badRequest().body(new InvalidInputException("body", "The request body is not "
                    + "readable: " + shorten(String.valueOf(ex.getMessage()))).getBody());
        }
        // Broken or absurdly nested JSON is the body's fault wherever the parser stopped; a value of
        // the wrong type (or out of range) is its field's.
        boolean malformed = json instanceof StreamReadException && !(json instanceof InputCoercionException);
        boolean bodyWide = malformed || json instanceof StreamConstraintsException || json.getPath().isEmpty();
        String field = bodyWide ? "body" : field(json, request);
        String detail = (malformed ? "Malformed JSON: " : "") + shorten(json.getOriginalMessage());
        return ResponseEntity.badRequest().body(new InvalidInputException(field, detail).getBody());
    }

    @ExceptionHandler
    ResponseEntity<Object> tooLarge(RequestSizeLimit.TooLargeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
        problem.setTitle("Invalid request body");
        problem.setProperty("field", "body");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
    }

    /**
     * The JSON path of the rejected value; a top-level array is named after the endpoint
     * ({@code documents[0].text} for {@code POST /api/documents}).
     */
    private static String field(JacksonException json, WebRequest request) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (path.charAt(0) == '[' && request instanceof ServletWebRequest servlet) {
            String uri = servlet.getRequest().getRequestURI();
            path.insert(0, uri.substring(uri.lastIndexOf('/') + 1));
        }
        return path.toString();
    }

    private static String shorten(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
