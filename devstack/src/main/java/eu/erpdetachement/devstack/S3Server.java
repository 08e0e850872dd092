package eu.erpdetachement.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** S3Proxy with a filesystem backend and SigV4 authentication: the S3 API that MinIO speaks too. */
final class S3Server {

    static final String BUCKET = "erp-files";

    private S3Server() {
    }

    static ChildProcess prepare(DevstackConfig config) throws IOException {
        Readiness.requireFree(config.s3Port(), "ERP_S3_PORT");
        Path home = Files.createDirectories(config.dataRoot().resolve("s3"));
        Path objects = Files.createDirectories(home.resolve("objects"));
        // the filesystem backend keeps a bucket as a top-level directory
        Files.createDirectories(objects.resolve(BUCKET));
        Path properties = home.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + config.s3Port(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + config.s3AccessKey(),
                "s3proxy.credential=" + config.s3SecretKey(),
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + objects,
                ""));
        Path jar = config.repository().resolve("devstack/target/stack-artifacts/s3proxy-jar-with-dependencies.jar");
        return new ChildProcess("s3proxy", List.of(Devstack.javaExecutable(), "-Xmx256m", "-jar", jar.toString(),
                "--properties", properties.toString()), Map.of(), home, config.logs().resolve("s3proxy.log"));
    }
}
