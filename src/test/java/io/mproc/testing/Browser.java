package io.mproc.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through ChromeDriver's WebDriver protocol (plain JSON over HTTP, no
 * client library): open a page, run a script in it, take a screenshot. Debian's packages
 * {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them when missing.
 */
public final class Browser implements AutoCloseable {
    private final java.lang.Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String session;

    private Browser(java.lang.Process driver, String session) {
        this.driver = driver;
        this.session = session;
    }

    /** Whether chromium and chromedriver are on this machine. */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/chromedriver")) && Files.isExecutable(Path.of("/usr/bin/chromium"));
    }

    public static Browser open() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        java.lang.Process driver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); ; line = out.readLine()) {
            if (line == null) {
                throw new IllegalStateException("chromedriver ended before it started");
            }
            if (line.contains("started successfully")) {
                break;
            }
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "chromedriver-output");
        drain.setDaemon(true);
        drain.start();
        JsonObject options = new JsonObject().put("binary", "/usr/bin/chromium")
                .put("args", new JsonArray().add("--headless=new").add("--no-sandbox").add("--disable-gpu").add("--window-size=1200,800"));
        JsonObject capabilities = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch",
                new JsonObject().put("browserName", "chrome").put("goog:chromeOptions", options)));
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/session"))
                .POST(HttpRequest.BodyPublishers.ofString(capabilities.encode())).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject value = new JsonObject(created.body()).getJsonObject("value");
        if (value == null || value.getString("sessionId") == null) {
            driver.destroyForcibly();
            throw new IllegalStateException("chromedriver made no session: " + created.body());
        }
        return new Browser(driver, base + "/session/" + value.getString("sessionId"));
    }

    private Object call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(session + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode())).build();
        JsonObject answer = new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        Object value = answer.getValue("value");
        if (value instanceof JsonObject error && error.containsKey("error")) {
            throw new IllegalStateException("WebDriver " + path + ": " + error.getString("error") + ": " + error.getString("message"));
        }
        return value;
    }

    public void go(String url) throws IOException, InterruptedException {
        call("POST", "/url", new JsonObject().put("url", url));
    }

    /** Runs {@code script} (a function body: {@code return ...}) in the page; its value. */
    public Object run(String script) throws IOException, InterruptedException {
        return call("POST", "/execute/sync", new JsonObject().put("script", script).put("args", new JsonArray()));
    }

    /** Saves a PNG of the page. */
    public void screenshot(Path to) throws IOException, InterruptedException {
        Files.createDirectories(to.getParent());
        Files.write(to, Base64.getDecoder().decode((String) call("GET", "/screenshot", null)));
    }

    @Override
    public void close() throws Exception {
        try {
            call("DELETE", "", null);
        } finally {
            var children = driver.descendants().toList();
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
