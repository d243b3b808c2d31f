package io.crvecdb.samples.rag;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import io.crvecdb.samples.rag.corpus.WordNetCorpus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search page in a real browser: headless Chromium driven by Selenium types queries and reads
 * what the page shows ({@link Browser}: fails without Chromium; screenshots under {@code target/}).
 */
@SampleTest
class SearchPageBrowserTest {

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

    @BeforeEach
    void openPage() {
        browser.open(this.port);
    }

    @Test
    void showsTheIndexSizeAndHealth() {
        browser.wait.until(ExpectedConditions.textToBe(By.id("status-corpus"), "ready"));
        assertThat(Integer.parseInt(browser.text("status-documents").replace(",", ""))).isGreaterThanOrEqualTo(SampleTest.CORPUS_LIMIT);
        assertThat(browser.text("status-index")).isEqualTo("384 dimensions, cosine");
        browser.screenshot("status");
    }

    @Test
    void typingAQueryShowsTheMostSimilarDocumentsWithScoresAndMetadata() {
        Document document = WordNetCorpus.read(this.properties.corpus().location(), SampleTest.CORPUS_LIMIT).get(77);
        browser.search(document.getText());

        List<WebElement> results = browser.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#results .result"), 10));
        WebElement first = results.getFirst();
        assertThat(first.getDomAttribute("data-id")).isEqualTo(document.getId());
        assertThat(first.findElement(By.className("text")).getText()).isEqualTo(document.getText());
        assertThat(Double.parseDouble(first.findElement(By.className("score")).getText())).isGreaterThan(0.99);
        assertThat(first.findElements(By.className("chip"))).extracting(WebElement::getText)
            .contains("id " + document.getId(), "pos: " + document.getMetadata().get("pos"));
        assertThat(browser.text("summary")).startsWith("10 results in");
        browser.screenshot("search");
    }

    @Test
    void thePartOfSpeechAndFilterInputsRestrictTheResults() {
        new Select(browser.driver.findElement(By.id("pos"))).selectByVisibleText("verb");
        browser.driver.findElement(By.id("filter")).sendKeys("words >= 2");
        browser.search("run very fast");

        List<WebElement> results = browser.wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#results .result"), 0));
        assertThat(results).allSatisfy(result -> assertThat(result.findElements(By.className("chip")))
            .extracting(WebElement::getText).contains("pos: verb"));
        browser.screenshot("filtered");
    }

    @Test
    void anEmptyQueryIsExplained() {
        browser.search("");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(browser.text("message")).isEqualTo("The query is empty: type some words to search for");
        assertThat(browser.driver.findElement(By.id("query")).getDomAttribute("class")).contains("invalid");
        assertThat(browser.driver.findElements(By.cssSelector("#results .result"))).isEmpty();
    }

    @Test
    void aMalformedFilterIsExplainedAndMarked() {
        browser.driver.findElement(By.id("filter")).sendKeys("category = animal");
        browser.search("cat");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(browser.text("message")).startsWith("Malformed filter \"category = animal\"").contains("Write it like:");
        assertThat(browser.driver.findElement(By.id("filter")).getDomAttribute("class")).contains("invalid");
        browser.screenshot("malformed-filter");

        // Fixing the input clears the message.
        browser.driver.findElement(By.id("filter")).clear();
        browser.driver.findElement(By.id("filter")).sendKeys("category == 'animal'");
        browser.search("cat");
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("message")));
        assertThat(browser.driver.findElement(By.id("filter")).getDomAttribute("class")).doesNotContain("invalid");
    }

    @Test
    void anOutOfRangeResultCountIsExplained() {
        WebElement topK = browser.driver.findElement(By.id("topK"));
        topK.clear();
        topK.sendKeys("500");
        browser.search("cat");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(browser.text("message")).isEqualTo("topK must be between 1 and 100, got 500");
    }

    @Test
    void questionAnsweringIsOfferedOnlyWithAChatModel() {
        assertThat(browser.driver.findElement(By.id("ask-off")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("ask")).isDisplayed()).isFalse();
    }
}
