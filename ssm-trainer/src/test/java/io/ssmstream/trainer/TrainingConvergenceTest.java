package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training with the default settings learns a process with known structure: the forecasts of the saved model,
 * replayed by the kernels exactly as the stream job runs it, reach the noise floor on held-out data with
 * calibrated variances.
 */
@Tag("slow")
class TrainingConvergenceTest {
    @TempDir
    Path dir;

    @Test
    void defaultMambaLearnsAnAr2ProcessToTheNoiseFloorWithCalibratedVariance() throws IOException {
        double sigma = 0.5;
        double noiseVar = sigma * sigma;
        int train = 6000;
        EventSeries all = Ar2.series(train + 1000, sigma, 42);
        EventSeries trainPart = all.slice(0, train);
        // defaults, except an epoch cap instead of the wall-clock limit so that the test is deterministic
        TrainingOptions o = new TrainingOptions().epochs(150).maxMinutes(10).seed(1);
        Trainer.Result r = Trainer.train(List.of(trainPart), null, o, new PrintWriter(System.err, true));
        Path file = dir.resolve("ar2.safetensors");
        r.model().save(file);
        SsmModel saved = SsmModel.load(file);

        KernelReplay.Score trained = KernelReplay.score(saved, all, train);
        KernelReplay.Score untrained = KernelReplay.score(ModelInitializer.initialize(saved.config(), 1), all, train);
        System.err.println("held-out, trained:   " + trained + " (noise variance " + noiseVar + ")");
        System.err.println("held-out, untrained: " + untrained);
        System.err.printf("training: %.0f events/s, %d epochs, %.1f s%n", r.eventsPerSecond(), r.epochs(), r.seconds());

        assertTrue(Math.abs(trained.mse() / noiseVar - 1) <= 0.15,
                "one-step MSE " + trained.mse() + " is not within 15% of the noise variance " + noiseVar);
        assertTrue(Math.abs(trained.meanVariance() / trained.mse() - 1) <= 0.20,
                "mean predicted variance " + trained.meanVariance() + " is not within 20% of the MSE " + trained.mse());
        assertTrue(untrained.mse() > 4 * trained.mse(),
                "untrained MSE " + untrained.mse() + " is not far above the trained " + trained.mse());
        assertTrue(untrained.nll() > trained.nll() + 0.5, "untrained NLL " + untrained.nll() + " vs " + trained.nll());
    }
}
