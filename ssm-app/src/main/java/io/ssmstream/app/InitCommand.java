package io.ssmstream.app;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code ssm-stream init}: writes a new, untrained model with the papers' initialisations. */
@Command(name = "init",
        description = "Write a new, untrained model file (deterministic for a seed).",
        sortOptions = false)
final class InitCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--arch", required = true, converter = ArchConverter.class, paramLabel = "mamba|s4d|s4|lssl|lru|s5|mamba2|spacetime",
            description = "Mixer architecture.")
    Arch arch;

    @Option(names = "--d-input", required = true, paramLabel = "N", description = "Values per event.")
    int dInput;

    @Option(names = "--d-model", defaultValue = "32", paramLabel = "N", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--n-layers", defaultValue = "2", paramLabel = "N", description = "Layers (default: ${DEFAULT-VALUE}).")
    int nLayers;

    @Option(names = "--d-state", defaultValue = "16", paramLabel = "N",
            description = "State size per channel (even for s4d; default: ${DEFAULT-VALUE}).")
    int dState;

    @Option(names = "--expand", defaultValue = "2", paramLabel = "N",
            description = "Mamba, Mamba-2: inner width = expand * d_model (default: ${DEFAULT-VALUE}).")
    int expand;

    @Option(names = "--d-conv", defaultValue = "4", paramLabel = "N",
            description = "Mamba, Mamba-2: causal convolution width (default: ${DEFAULT-VALUE}).")
    int dConv;

    @Option(names = "--dt-rank", defaultValue = "0", paramLabel = "N",
            description = "Mamba: rank of the step-size projection; 0 = ceil(d_model/16) (default: ${DEFAULT-VALUE}).")
    int dtRank;

    @Option(names = "--headdim", defaultValue = "8", paramLabel = "N",
            description = "Mamba-2: channels per head; d_inner / headdim heads (default: ${DEFAULT-VALUE}).")
    int headdim;

    @Option(names = "--ngroups", defaultValue = "1", paramLabel = "N",
            description = "Mamba-2: groups of heads that share B and C (default: ${DEFAULT-VALUE}).")
    int ngroups;

    @Option(names = "--dt-unit-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Time that counts as one step, in ms (default: ${DEFAULT-VALUE}).")
    double dtUnitMs;

    @Option(names = "--time-aware", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Scale each step by the time gap between events (default: ${DEFAULT-VALUE}).")
    boolean timeAware;

    @Option(names = "--input-mean", split = ",", paramLabel = "M",
            description = "Input normalisation mean, one per value column (default: 0).")
    float[] inputMean;

    @Option(names = "--input-std", split = ",", paramLabel = "S",
            description = "Input normalisation std, one per value column (default: 1).")
    float[] inputStd;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write (.safetensors).")
    Path out;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;

    @Override
    protected int run() throws Exception {
        ModelConfig.Builder b = ModelConfig.builder(arch, dInput).dModel(dModel).nLayers(nLayers).dState(dState)
                .expand(expand).dConv(dConv).dtRank(dtRank).headdim(headdim).ngroups(ngroups).dtUnitMs(dtUnitMs)
                .timeAware(timeAware);
        if (inputMean != null) {
            b.inputMean(inputMean);
        }
        if (inputStd != null) {
            b.inputStd(inputStd);
        }
        ModelConfig config = b.build();
        if (Files.exists(out) && !force) {
            throw new UserException(out + " exists; use --force to overwrite it");
        }
        SsmModel model = ModelInitializer.initialize(config, seed);
        AtomicOutput.write(out, temp -> {
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                model.toFile().writeTo(o);
            }
        });
        long parameters = 0;
        for (Tensor t : model.tensors().values()) {
            parameters += Tensor.elementCount(t.shape());
        }
        out().println("wrote " + out + ": " + describe(config) + ", " + parameters + " parameters, seed " + seed);
        out().flush();
        return SsmStreamCli.EXIT_OK;
    }

    static String describe(ModelConfig c) {
        StringBuilder s = new StringBuilder(c.arch().configName())
                .append(" d_input=").append(c.dInput())
                .append(" d_model=").append(c.dModel())
                .append(" n_layers=").append(c.nLayers())
                .append(" d_state=").append(c.dState());
        if (c.arch() == Arch.MAMBA) {
            s.append(" expand=").append(c.expand()).append(" d_conv=").append(c.dConv())
                    .append(" dt_rank=").append(c.dtRank());
        }
        if (c.arch() == Arch.MAMBA2) {
            s.append(" expand=").append(c.expand()).append(" d_conv=").append(c.dConv())
                    .append(" headdim=").append(c.headdim()).append(" ngroups=").append(c.ngroups())
                    .append(" (").append(c.nHeads()).append(" heads)");
        }
        s.append(" dt_unit_ms=").append(formatNumber(c.dtUnitMs())).append(" time_aware=").append(c.timeAware());
        return s.toString();
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** One of {@link Arch#choices()}, any case. */
    static final class ArchConverter implements ITypeConverter<Arch> {
        @Override
        public Arch convert(String value) {
            Arch a = Arch.fromConfigName(value.toLowerCase(Locale.ROOT));
            if (a == null) {
                throw new TypeConversionException("unknown arch \"" + value + "\" (expected " + Arch.choices() + ")");
            }
            return a;
        }
    }
}
