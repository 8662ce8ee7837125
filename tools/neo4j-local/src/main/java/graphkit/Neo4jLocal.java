package graphkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Starts Neo4j 5 Community in this JVM with Bolt on 127.0.0.1, authentication on, and prints one
 * line "bolt://127.0.0.1:PORT" per server once it accepts connections, then "READY".
 *
 * <p>Usage: Neo4jLocal --dir DIR --password PW --plugins DIR [--port N] [--instances K]
 * [--watch-pid PID]. The plugin directory holds the Graph Data Science jars (`gds.*` procedures).
 *
 * <p>Community edition serves one user database per server, so tests that need several clean
 * graphs at once ask for K servers (DIR/instance-0 ... DIR/instance-K-1); the first takes --port
 * (0: any free port), the others any free port. SIGTERM (or the exit of --watch-pid) shuts every
 * server down cleanly.
 */
public final class Neo4jLocal {
    private Neo4jLocal() {}

    public static void main(String[] args) throws Exception {
        Path dir = null;
        String password = null;
        int port = 0;
        int instances = 1;
        long watchPid = -1;
        Path plugins = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> dir = Path.of(require(args[i], value));
                case "--password" -> password = require(args[i], value);
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--instances" -> instances = Integer.parseInt(require(args[i], value));
                case "--watch-pid" -> watchPid = Long.parseLong(require(args[i], value));
                case "--plugins" -> plugins = Path.of(require(args[i], value));
                default -> fail("unknown argument " + args[i]);
            }
            i++;
        }
        if (dir == null || password == null || plugins == null) {
            fail("usage: Neo4jLocal --dir DIR --password PW --plugins DIR [--port N] [--instances K]"
                    + " [--watch-pid PID]");
        }
        if (instances < 1 || instances > 16) {
            fail("--instances must be between 1 and 16");
        }

        List<DatabaseManagementService> services = new ArrayList<>();
        // The instances are independent: shut them down side by side, not one after another.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> services.parallelStream().forEach(DatabaseManagementService::shutdown),
                "neo4j-local-shutdown"));

        List<String> uris = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            Path home = instances == 1 ? dir : dir.resolve("instance-" + i);
            DatabaseManagementService service = start(home, i == 0 ? port : 0, plugins);
            services.add(service);
            setPassword(service, password);
            uris.add("bolt://127.0.0.1:" + boltPort(service));
        }
        for (String uri : uris) {
            System.out.println(uri);
        }
        System.out.println("READY");
        System.out.flush();

        CountDownLatch forever = new CountDownLatch(1);
        if (watchPid > 0) {
            // Tests pass their own pid: a killed test run never leaves a server behind.
            ProcessHandle.of(watchPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        forever.await();
    }

    private static DatabaseManagementService start(Path home, int port, Path plugins)
            throws IOException {
        Files.createDirectories(home);
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Bolt's event loops wait a quiet period (5 s, twice) before they stop; a local
                // server has no clients left to wait for when it is told to stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
                .build();
    }

    private static void setPassword(DatabaseManagementService service, String password) {
        GraphDatabaseService system = service.database("system");
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // A restart on the same directory with the same password: already set.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static int boltPort(DatabaseManagementService service) {
        GraphDatabaseAPI api = (GraphDatabaseAPI) service.database("system");
        ConnectorPortRegister ports = api.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        return ports.getLocalAddress(ConnectorType.BOLT).getPort();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            fail(flag + " needs a value");
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("neo4j-local: " + message);
        System.exit(2);
    }
}
