package io.crvecdb.samples.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.fail;

/**
 * Headless Chromium for the page tests, driven by Selenium. Needs Debian's {@code chromium} and
 * {@code chromium-driver} (or {@code -Dsample.chromium} and {@code -Dsample.chromedriver}); fails,
 * rather than skips, without them. Screenshots go to {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;

    final WebDriverWait wait;

    Browser() {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                fail(executable + " is missing: the browser tests need Chromium and its driver. Install them with "
                        + "'apt-get install chromium chromium-driver' (Debian/Ubuntu), or point -Dsample.chromium and "
                        + "-Dsample.chromedriver at your own");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        this.driver = new ChromeDriver(
                new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        this.wait = new WebDriverWait(this.driver, Duration.ofSeconds(20));
    }

    /** Opens the sample's page and waits until it shows the application healthy. */
    void open(int port) {
        this.driver.get("http://localhost:" + port + "/");
        this.wait.until(ExpectedConditions.textToBe(By.id("status-health"), "UP"));
    }

    /** Types the query into the search box and submits it. */
    void search(String query) {
        submit("query", query, "search-button");
    }

    /** Types the question into the ask box and submits it. */
    void ask(String question) {
        submit("question", question, "ask-button");
    }

    private void submit(String inputId, String text, String buttonId) {
        WebElement input = this.driver.findElement(By.id(inputId));
        input.clear();
        input.sendKeys(text);
        this.driver.findElement(By.id(buttonId)).click();
    }

    String text(String id) {
        return this.driver.findElement(By.id(id)).getText();
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), this.driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        this.driver.quit();
    }
}
