package io.ssmstream.benchmarks.pipeline;

/**
 * A daemon thread that takes a sample every {@code periodMs} while a run lasts: the first when
 * {@link #start} is called, on the caller's thread, the last at {@link #close}.
 */
abstract class PeriodicSampler implements AutoCloseable {
    private final long periodMs;
    private final Thread sampler;
    private volatile boolean stop;

    PeriodicSampler(String name, long periodMs) {
        this.periodMs = periodMs;
        sampler = new Thread(this::run, name);
        sampler.setDaemon(true);
    }

    /** Takes the first sample and starts the thread; subclasses call it once their fields are set. */
    protected final void start() {
        sample();
        sampler.start();
    }

    protected abstract void sample();

    private void run() {
        while (!stop) {
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** Stops sampling after one last sample. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.interrupt();
        sampler.join();
        sample();
    }
}
