package io.ssmstream.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One NAB application profile: the weights of a true positive (a window's earliest detection), a false positive
 * (a detection outside every window) and a false negative (a window without detection).
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    public static final NabProfile STANDARD = new NabProfile("standard", 1, 0.11, 1);
    public static final NabProfile LOW_FP = new NabProfile("reward_low_FP_rate", 1, 0.22, 1);
    public static final NabProfile LOW_FN = new NabProfile("reward_low_FN_rate", 1, 0.11, 2);

    /** Reads NAB's {@code config/profiles.json} ({@code {"name": {"CostMatrix": {"tpWeight": ..}}}}), in file order. */
    public static List<NabProfile> read(Path profilesJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(profilesJson.toFile());
        } catch (IOException e) {
            throw new EvalInputException(profilesJson + ": cannot read NAB profiles: " + e.getMessage(), e);
        }
        List<NabProfile> profiles = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode cost = e.getValue().path("CostMatrix");
            profiles.add(new NabProfile(e.getKey(), weight(profilesJson, e.getKey(), cost, "tpWeight"),
                    weight(profilesJson, e.getKey(), cost, "fpWeight"),
                    weight(profilesJson, e.getKey(), cost, "fnWeight")));
        }
        if (profiles.isEmpty()) {
            throw new EvalInputException(profilesJson + ": no profiles");
        }
        return profiles;
    }

    private static double weight(Path file, String profile, JsonNode cost, String field) {
        JsonNode w = cost.get(field);
        if (w == null || !w.isNumber()) {
            throw new EvalInputException(file + ": profile " + profile + " has no numeric CostMatrix." + field);
        }
        return w.asDouble();
    }
}
