package io.crvecdb.samples.rag.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.crvecdb.samples.rag.ask.RagAssistant;

/**
 * {@code POST /api/ask}: a chat model's answer to a question, from the documents the store finds
 * for it. Answers 503 when no chat model is configured.
 */
@RestController
class AskController {

    private final RagAssistant assistant;

    AskController(RagAssistant assistant) {
        this.assistant = assistant;
    }

    @PostMapping("/api/ask")
    AskResponse ask(@RequestBody Question question) {
        if (!this.assistant.enabled()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Question answering is off: no chat model is configured. Run with a chat model "
                            + "(see the sample's README: Ollama or OpenAI); searching works without one.");
            problem.setTitle("No chat model");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
        if (question.question() == null || question.question().isBlank()) {
            throw new InvalidInputException("question", "The question is empty: type a question to ask");
        }
        Filter.@Nullable Expression filter = FilterExpressions.parse(question.filter());
        RagAssistant.Answer answer = FilterExpressions.searching(filter,
                () -> this.assistant.ask(question.question(), filter));
        return new AskResponse(answer.text(), answer.documents().stream().map(Hit::of).toList());
    }

    /**
     * The JSON body of a question.
     *
     * @param question what to ask (required)
     * @param filter   restricts the documents given to the chat model, in Spring AI's filter syntax
     */
    record Question(@Nullable String question, @Nullable String filter) {
    }

    /**
     * The answer.
     *
     * @param answer    the chat model's answer
     * @param documents the documents it was given, best first
     */
    record AskResponse(String answer, List<Hit> documents) {
    }
}
