package io.crvecdb.samples.rag;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;

import io.crvecdb.samples.rag.corpus.WordNetCorpus;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's ask box in a real browser, with a chat model that records its prompts. */
@SampleTest
@Import(RecordingChatModel.class)
class AskPageBrowserTest {

    static Browser browser;

    @Value("${local.server.port}")
    int port;

    @Autowired
    SampleProperties properties;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void askingShowsTheAnswerAndTheDocumentsTheModelWasGiven() {
        Document document = WordNetCorpus.read(this.properties.corpus().location(), SampleTest.CORPUS_LIMIT).get(200);
        browser.open(this.port);
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ask")));
        assertThat(browser.driver.findElement(By.id("ask-off")).isDisplayed()).isFalse();

        browser.ask(document.getText());

        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("answer")));
        assertThat(browser.text("answer")).isEqualTo(RecordingChatModel.ANSWER);
        List<WebElement> documents = browser.driver.findElements(By.cssSelector("#results .result"));
        assertThat(documents).hasSizeBetween(1, this.properties.rag().topK());
        assertThat(documents.getFirst().getDomAttribute("data-id")).isEqualTo(document.getId());
        assertThat(browser.text("summary")).isEqualTo("The chat model was given these " + documents.size() + " documents:");
        browser.screenshot("ask");
    }
}
