package io.crvecdb.samples.rag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import io.crvecdb.samples.rag.corpus.WordNetCorpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The search page in a real browser: headless Chromium driven by Selenium types queries and reads
 * what the page shows. Needs Debian's {@code chromium} and {@code chromium-driver}; fails, rather
 * than skips, without them. Screenshots go to {@code target/screenshots/}.
 */
@SampleTest
class SearchPageBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static ChromeDriver browser;

    @Value("${local.server.port}")
    int port;

    @Autowired
    SampleProperties properties;

    WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                fail(executable + " is missing: the browser test needs Chromium and its driver. Install them with "
                        + "'apt-get install chromium chromium-driver' (Debian/Ubuntu), or point -Dsample.chromium and "
                        + "-Dsample.chromedriver at your own");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openPage() {
        browser.get("http://localhost:" + this.port + "/");
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        this.wait.until(ExpectedConditions.textToBe(By.id("status-health"), "UP"));
    }

    @Test
    void showsTheIndexSizeAndHealth() throws IOException {
        this.wait.until(ExpectedConditions.textToBe(By.id("status-corpus"), "ready"));
        assertThat(Integer.parseInt(text("status-documents").replace(",", ""))).isGreaterThanOrEqualTo(SampleTest.CORPUS_LIMIT);
        assertThat(text("status-index")).isEqualTo("384 dimensions, cosine");
        screenshot("status");
    }

    @Test
    void typingAQueryShowsTheMostSimilarDocumentsWithScoresAndMetadata() throws IOException {
        Document document = WordNetCorpus.read(this.properties.corpus().location(), SampleTest.CORPUS_LIMIT).get(77);
        search(document.getText());

        List<WebElement> results = this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#results .result"), 10));
        WebElement first = results.getFirst();
        assertThat(first.getDomAttribute("data-id")).isEqualTo(document.getId());
        assertThat(first.findElement(By.className("text")).getText()).isEqualTo(document.getText());
        assertThat(Double.parseDouble(first.findElement(By.className("score")).getText())).isGreaterThan(0.99);
        assertThat(first.findElements(By.className("chip"))).extracting(WebElement::getText)
            .contains("id " + document.getId(), "pos: " + document.getMetadata().get("pos"));
        assertThat(text("summary")).startsWith("10 results in");
        screenshot("search");
    }

    @Test
    void thePartOfSpeechAndFilterInputsRestrictTheResults() throws IOException {
        new Select(browser.findElement(By.id("pos"))).selectByVisibleText("verb");
        browser.findElement(By.id("filter")).sendKeys("words >= 2");
        search("run very fast");

        List<WebElement> results = this.wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#results .result"), 0));
        assertThat(results).allSatisfy(result -> assertThat(result.findElements(By.className("chip")))
            .extracting(WebElement::getText).contains("pos: verb"));
        screenshot("filtered");
    }

    @Test
    void anEmptyQueryIsExplained() {
        search("");
        this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(text("message")).isEqualTo("The query is empty: type some words to search for");
        assertThat(browser.findElement(By.id("query")).getDomAttribute("class")).contains("invalid");
        assertThat(browser.findElements(By.cssSelector("#results .result"))).isEmpty();
    }

    @Test
    void aMalformedFilterIsExplainedAndMarked() throws IOException {
        browser.findElement(By.id("filter")).sendKeys("category = animal");
        search("cat");
        this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(text("message")).startsWith("Malformed filter \"category = animal\"").contains("Write it like:");
        assertThat(browser.findElement(By.id("filter")).getDomAttribute("class")).contains("invalid");
        screenshot("malformed-filter");

        // Fixing the input clears the message.
        browser.findElement(By.id("filter")).clear();
        browser.findElement(By.id("filter")).sendKeys("category == 'animal'");
        search("cat");
        this.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("message")));
        assertThat(browser.findElement(By.id("filter")).getDomAttribute("class")).doesNotContain("invalid");
    }

    @Test
    void anOutOfRangeResultCountIsExplained() {
        WebElement topK = browser.findElement(By.id("topK"));
        topK.clear();
        topK.sendKeys("500");
        search("cat");
        this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(text("message")).isEqualTo("topK must be between 1 and 100, got 500");
    }

    @Test
    void questionAnsweringIsOfferedOnlyWithAChatModel() {
        assertThat(browser.findElement(By.id("ask-off")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("ask")).isDisplayed()).isFalse();
    }

    private void search(String query) {
        WebElement input = browser.findElement(By.id("query"));
        input.clear();
        input.sendKeys(query);
        browser.findElement(By.id("search-button")).click();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
