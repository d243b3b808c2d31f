package io.crvecdb.samples.rag;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A chat model that keeps every prompt and always gives the same answer; {@code @Import} it to
 * turn question answering on.
 */
class RecordingChatModel implements ChatModel {

    static final String ANSWER = "An answer from the recorded documents.";

    final List<Prompt> prompts = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse call(Prompt prompt) {
        this.prompts.add(prompt);
        return new ChatResponse(List.of(new Generation(new AssistantMessage(ANSWER))));
    }
}
