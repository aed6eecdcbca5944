import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Part of retrain-to-first-forecast.sh: reads the forecast topic from its end and prints the wall clock (epoch ms)
 * at which the first record whose model_version differs from the first record's arrives, then that version.
 * Usage: java -cp ssm-app/target/ssm-stream.jar FirstNewVersion.java BOOTSTRAP TOPIC
 */
public class FirstNewVersion {
    public static void main(String[] args) {
        Properties p = new Properties();
        p.put("bootstrap.servers", args[0]);
        p.put("group.id", "first-new-version-" + System.nanoTime());
        p.put("auto.offset.reset", "latest");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        String field = "\"model_version\":\"";
        String running = null;
        try (KafkaConsumer<byte[], String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(args[1]));
            long deadline = System.currentTimeMillis() + 900_000;
            while (System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    int at = r.value().indexOf(field) + field.length();
                    String version = r.value().substring(at, r.value().indexOf('"', at));
                    if (running == null) {
                        running = version;
                    } else if (!version.equals(running)) {
                        System.out.println(System.currentTimeMillis() + " " + version);
                        return;
                    }
                }
            }
        }
        System.out.println("none");
    }
}
