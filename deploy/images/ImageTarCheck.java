import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves a Jib image tarball runs without a container engine: unpacks its layers into a root
 * file system and starts the image's own entrypoint in it with chroot (as the image's user),
 * then waits for the service's health endpoint. With {@code --dry-run} it only has the image's JVM
 * load the main class from the image's class path (for services that need a database to start).
 *   java deploy/images/ImageTarCheck.java target/jib-image.tar <work dir> <port> [--dry-run]
 */
public class ImageTarCheck {

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[1]).toAbsolutePath();
        int port = Integer.parseInt(args[2]);
        boolean dryRun = args.length > 3 && args[3].equals("--dry-run");
        Path unpacked = Files.createDirectories(work.resolve("image"));
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        run(List.of("tar", "-xf", image.toString(), "-C", unpacked.toString()));

        String manifest = Files.readString(unpacked.resolve("manifest.json"));
        for (String layer : strings(manifest, "layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xf", unpacked.resolve(layer).toString(), "-C", rootfs.toString()));
        }
        String config = Files.readString(unpacked.resolve(strings(manifest, "config").get(0)));

        // a container runtime mounts /proc; the JVM's launcher needs it ($ORIGIN in its library path)
        Path proc = Files.createDirectories(rootfs.resolve("proc"));
        run(List.of("mount", "-t", "proc", "proc", proc.toString()));
        try {
            start(image, work, port, dryRun, rootfs, config);
        } finally {
            run(List.of("umount", proc.toString()));
        }
    }

    private static void start(Path image, Path work, int port, boolean dryRun, Path rootfs, String config) throws Exception {
        List<String> entrypoint = strings(config, "Entrypoint");
        String user = single(config, "User");
        List<String> command = new ArrayList<>(List.of("chroot"));
        if (user != null) {
            command.add("--userspec=" + user);
        }
        command.add(rootfs.toString());
        command.addAll(entrypoint);
        if (dryRun) {
            command.add(2 + (user != null ? 1 : 0) + 1, "--dry-run"); // right after "java"
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("service.log").toFile());
        builder.environment().clear();
        for (String variable : strings(config, "Env")) {
            int eq = variable.indexOf('=');
            builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        // actuator on the API port for this check only (a service normally has a management port of its own)
        builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(port));
        System.out.println("Starting " + command);
        Process service = builder.start();
        if (dryRun) {
            int exit = service.waitFor();
            System.out.println(work.getFileName() + ": " + String.join(" ", entrypoint) + " --dry-run exited " + exit);
            if (exit != 0) {
                throw new IllegalStateException("The image's JVM could not load its main class; see " + work.resolve("service.log"));
            }
            return;
        }
        try {
            HttpClient http = HttpClient.newHttpClient();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (true) {
                if (!service.isAlive()) {
                    throw new IllegalStateException("The image's entrypoint exited with " + service.exitValue()
                            + "; see " + work.resolve("service.log"));
                }
                try {
                    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/actuator/health/liveness")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200) {
                        System.out.println(work.getFileName() + ": entrypoint up, liveness " + health.body());
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("No healthy service within 3 minutes; see " + work.resolve("service.log"));
                }
                Thread.sleep(500); // polling the health endpoint
            }
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** The strings of a JSON array member (case-insensitive name), or the single string value. */
    private static List<String> strings(String json, String member) {
        Matcher array = Pattern.compile("\"" + member + "\"\\s*:\\s*\\[(.*?)]", Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(json);
        List<String> values = new ArrayList<>();
        if (array.find()) {
            Matcher value = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(array.group(1));
            while (value.find()) {
                values.add(value.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        } else if (single(json, member) != null) {
            values.add(single(json, member));
        }
        return values;
    }

    private static String single(String json, String member) {
        Matcher m = Pattern.compile("\"" + member + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", Pattern.CASE_INSENSITIVE).matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed");
        }
    }
}
