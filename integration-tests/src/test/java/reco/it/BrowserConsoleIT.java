package reco.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import reco.v1.Model;
import reco.v1.ModelInfo;
import reco.v1.ModelSummary;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser: Debian's headless Chromium, driven through its chromedriver by
 * Selenium, against {@code bin/reco serve} on the demo generation. Checks what each page shows against
 * the server's own gRPC answers, that a bad id shows the error, and that the pages request nothing but
 * this server (the browser's network log). Screenshots of each page, 1280x900, go to
 * {@code target/console-screenshots/}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian packages chromium and
 * chromium-driver; {@code .ci/run} installs them) and fails without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserConsoleIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("reco.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("reco.chromedriver", "/usr/bin/chromedriver"));
    private static final Pattern HTTP_LISTENING = Pattern.compile("(?m)^reco http listening on (\\S+):(\\d+)$");
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static Launcher.ServerProcess server;
    private static ChromeDriver browser;
    private static String base;
    private static RecommenderGrpc.RecommenderBlockingStub grpc;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "the browser tests need Chromium at " + CHROMIUM
                + " (Debian: apt-get install chromium chromium-driver)");
        assertTrue(Files.isExecutable(CHROMEDRIVER), "the browser tests need chromedriver at " + CHROMEDRIVER
                + " (Debian: apt-get install chromium-driver)");
        Launcher launcher = Launcher.ofRepository();
        Path model = work.resolve("demo-model");
        Launcher.Result demo = launcher.run("demo", "--no-serve", "--model-dir", model.toString());
        assertEquals(0, demo.exitCode(), demo::describe);
        server = launcher.startServer("serve", "--model", model.toString(), "--port", "0", "--http-port", "0");
        Matcher http = HTTP_LISTENING.matcher(server.stdout());
        assertTrue(http.find(), server::describe);
        base = "http://127.0.0.1:" + http.group(2);
        grpc = RecommenderGrpc.newBlockingStub(server.channel());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT, // the viewport, headless
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // the driver binary is given: Selenium Manager (which would download one) never runs
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        // headless --window-size sizes the window, not the page: fix the viewport itself for the screenshots
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Opens the console at {@code route} (the part after #) and waits until that route has rendered. */
    private static void open(String route) {
        browser.get(base + "/console/#" + route);
        browser.navigate().refresh(); // a change of the hash alone keeps the page: load it afresh
        new WebDriverWait(browser, PAGE_TIMEOUT).until(d -> "true".equals(
                ((JavascriptExecutor) d).executeScript("return document.body.dataset.ready")));
    }

    private static String text(String id) {
        Object text = browser.executeScript("const e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id);
        return String.valueOf(text);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(shot);
        assertEquals(WIDTH + "x" + HEIGHT, image.getWidth() + "x" + image.getHeight(), "screenshot " + name);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> itemIds(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::getItemId).toList();
    }

    private static List<String> rowIds(WebElement container) {
        return container.findElements(By.cssSelector("tr.rec")).stream().map(r -> r.getAttribute("data-item-id")).toList();
    }

    private static String modelName(Model m) {
        return m.name().substring("MODEL_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Test
    @Order(0)
    void jsonOverHttpAnswersAsReadmeSays() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> similar = body -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(base + "/reco.v1.Recommender/SimilarItems"))
                        .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        java.net.http.HttpResponse<String> five = similar.apply("{\"itemId\":\"1\",\"k\":5}");
        assertEquals(200, five.statusCode(), five::body);
        JsonNode items = JSON.readTree(five.body()).path("items");
        RecommendResponse expected = grpc.similarItems(SimilarItemsRequest.newBuilder().setItemId("1").setK(5).build());
        assertEquals(itemIds(expected.getItemsList()), java.util.stream.StreamSupport.stream(items.spliterator(), false)
                .map(i -> i.path("itemId").asText()).toList());
        java.net.http.HttpResponse<String> unknown = similar.apply("{\"itemId\":\"no-such-item\",\"k\":5}");
        assertEquals(404, unknown.statusCode(), unknown::body);
        assertEquals("not_found", JSON.readTree(unknown.body()).path("code").asText(), unknown::body);
    }

    @Test
    @Order(1)
    void overviewShowsTheServedGenerationAndItsModels() throws Exception {
        open("/");
        ModelInfo info = grpc.getModelInfo(reco.v1.GetModelInfoRequest.getDefaultInstance());
        assertEquals(info.getGenerationId(), browser.findElement(By.id("generation-id")).getText());
        String models = browser.findElement(By.id("models")).getText();
        for (ModelSummary m : info.getModelsList()) {
            assertTrue(models.contains(modelName(m.getModel())), models);
        }
        String history = browser.findElement(By.id("history")).getText();
        assertTrue(history.contains(info.getGenerationId()), history);
        assertTrue(browser.findElement(By.id("training")).getText().contains("minWeight"));
        screenshot("overview");

        // this browser is on the server's machine and no admin token is configured: an operator, who may
        // reload (reco.v1.Admin/Reload through the JSON gateway)
        browser.findElement(By.id("reload")).click();
        new WebDriverWait(browser, PAGE_TIMEOUT).until(d -> text("reload-status").contains("serving "));
        assertEquals(" already serving " + info.getGenerationId(), text("reload-status"));
    }

    @Test
    @Order(2)
    void itemPageShowsEachModelsNeighboursAsTheServerRanksThem() throws Exception {
        String item = "1";
        open("/item/" + item);
        ModelInfo info = grpc.getModelInfo(reco.v1.GetModelInfoRequest.getDefaultInstance());
        List<WebElement> columns = browser.findElements(By.cssSelector("#similar [data-model]"));
        int checked = 0;
        for (ModelSummary m : info.getModelsList()) {
            if (m.getModel() == Model.MODEL_POPULARITY) {
                continue;
            }
            WebElement column = columns.stream().filter(c -> modelName(m.getModel()).equals(c.getAttribute("data-model")))
                    .findFirst().orElseThrow(() -> new AssertionError("no column for " + m.getModel()));
            RecommendResponse expected = grpc.similarItems(SimilarItemsRequest.newBuilder().setItemId(item).setK(10)
                    .setModel(m.getModel()).build());
            assertEquals(10, expected.getItemsCount());
            assertEquals(itemIds(expected.getItemsList()), rowIds(column), "neighbours of " + item + " by " + m.getModel());
            assertTrue(column.getText().contains(expected.getItems(0).getTitle()), column.getText());
            checked++;
        }
        assertTrue(checked >= 4, "content, item-knn, ease, als and hybrid in the demo generation: " + checked);
        assertEquals(item, browser.findElement(By.id("item-id")).getText());
        screenshot("item");
    }

    @Test
    @Order(3)
    void userPageShowsKRecommendationsWithTheirReasons() throws Exception {
        int k = 7;
        open("/user/1?k=" + k);
        // the same list over gRPC (without explain: a user's history is explained only to holders of the
        // explain right, which the console's operator has and this plain gRPC client has not)
        RecommendResponse expected = grpc.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("1").setK(k)
                .build());
        WebElement table = browser.findElement(By.id("recommendations"));
        assertEquals(itemIds(expected.getItemsList()), rowIds(table));
        List<WebElement> reasons = table.findElements(By.cssSelector("tr.rec .reason"));
        assertEquals(k, reasons.size());
        for (WebElement reason : reasons) {
            assertTrue(reason.getText().startsWith("because you"), "a reason from Explain: " + reason.getText());
        }
        assertFalse(table.findElements(By.cssSelector("tr.rec .contrib")).isEmpty(), "Explain's contributions are listed");
        assertTrue(browser.findElements(By.cssSelector("tr.rec .contrib.error")).isEmpty(), table.getText());

        // the knobs: diversity re-ranks, and the page shows the list without knobs beside it
        open("/user/1?k=" + k + "&diversity=0.8&contextWeight=0.5&hour=21");
        RecommendResponse diverse = grpc.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("1").setK(k)
                .setDiversity(0.8f).setContextWeight(0.5f)
                .setContextTime(com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(java.time.LocalDate.now(java.time.ZoneOffset.UTC).atTime(21, 0)
                                .toEpochSecond(java.time.ZoneOffset.UTC)))
                .build());
        assertEquals(itemIds(diverse.getItemsList()), rowIds(browser.findElement(By.id("recommendations"))));
        assertEquals(k, browser.findElements(By.cssSelector("#plain tr")).size());
        screenshot("user");

        // an anonymous session: recommendations for a list of items, with reasons
        open("/session/1,2,3?k=5");
        RecommendResponse session = grpc.recommendForItems(reco.v1.RecommendForItemsRequest.newBuilder()
                .addAllItemIds(List.of("1", "2", "3")).setK(5).setExplain(true).build());
        assertEquals(itemIds(session.getItemsList()), rowIds(browser.findElement(By.id("recommendations"))));
        for (WebElement reason : browser.findElements(By.cssSelector("#recommendations tr.rec .reason"))) {
            assertFalse(reason.getText().isBlank(), "every item has a reason");
        }
    }

    @Test
    @Order(4)
    void aBadIdShowsTheServersError() throws Exception {
        open("/item/no-such-item");
        WebElement error = browser.findElement(By.id("error"));
        assertEquals("not_found", error.getAttribute("data-code"));
        assertTrue(error.getText().contains("no-such-item"), error.getText());
        assertTrue(error.getText().contains("HTTP 404"), error.getText());
        screenshot("error");

        open("/session/nothing,known");
        assertEquals("not_found", browser.findElement(By.id("error")).getAttribute("data-code"));
    }

    @Test
    @Order(5)
    void livePanelPlotsTheServersOwnMeters() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().daemon().start(() -> {
            RecommenderGrpc.RecommenderBlockingStub stub = grpc.withDeadlineAfter(5, TimeUnit.MINUTES);
            int i = 0;
            while (running.get()) {
                stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId(i++ % 5 == 0 ? "someone-new" : "1")
                        .setK(10).build());
            }
        });
        try {
            open("/live");
            // the panel redraws every second: read its figures in one script, never through stale elements
            new WebDriverWait(browser, PAGE_TIMEOUT).until(d -> {
                String rate = text("live-rate");
                return !rate.equals("-") && Double.parseDouble(rate) > 0 && text("live-p95").endsWith(" ms");
            });
            Thread.sleep(5000); // a few points on the charts
            long fallbacks = Long.parseLong(text("live-fallbacks").replace(",", ""));
            assertTrue(fallbacks > 0, "unknown users were served popular items");
            assertTrue(text("live-methods").contains("RecommendForUser"), text("live-methods"));
            screenshot("live");
        } finally {
            running.set(false);
            load.join(Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(6)
    void thePagesRequestNothingButThisServer() throws Exception {
        // every page once more, then the browser's own log of what it requested
        for (String route : List.of("/", "/item/1", "/user/1", "/session/1,2,3", "/live")) {
            open(route);
        }
        // what the console's documents requested (any scheme), and every network request of the browser
        // (http, https, ws, wss) whoever made it; the browser's own chrome:// pages are neither
        Set<String> requested = new TreeSet<>();
        List<String> elsewhere = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            if (!message.path("method").asText().equals("Network.requestWillBeSent")) {
                continue;
            }
            String url = message.path("params").path("request").path("url").asText();
            String document = message.path("params").path("documentURL").asText();
            boolean fromConsole = document.startsWith(base + "/");
            boolean network = url.matches("(?i)(https?|wss?)://.*");
            if (fromConsole) {
                requested.add(url);
            }
            if ((fromConsole || network) && !url.startsWith(base + "/") && !url.startsWith("data:")) {
                elsewhere.add(url + " (from " + document + ")");
            }
        }
        assertTrue(requested.contains(base + "/console/vendor/uPlot.iife.min.js"), "the log holds the page's requests: " + requested);
        assertTrue(requested.contains(base + "/reco.v1.Recommender/GetModelInfo"), requested.toString());
        assertEquals(List.of(), elsewhere, "requests beyond " + base);
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            assertFalse(entry.getMessage().contains("Content Security Policy"), entry.getMessage());
        }
    }
}
