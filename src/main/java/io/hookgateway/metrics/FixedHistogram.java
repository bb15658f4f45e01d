package io.hookgateway.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus classic histogram with a few fixed buckets, cheap enough to record on an event loop for every request:
 * a scan of the (few) bounds and two {@link LongAdder} additions, with no clock read, no allocation and no lock. Each
 * bucket counts only its own observations; the cumulative counts and the total are summed when scraped, so
 * {@code _count} always equals the {@code +Inf} bucket. Values are recorded in whole units (nanoseconds, bytes) and
 * exposed in the metric's unit ({@link Buckets#perExposedUnit}).
 */
final class FixedHistogram {

    /**
     * The bucket bounds of a histogram, shared by every series of its metric.
     *
     * @param bounds inclusive upper bounds in recorded units, ascending; the {@code +Inf} bucket is implied
     * @param perExposedUnit recorded units in one exposed unit: 1e9 nanoseconds in a second
     */
    record Buckets(long[] bounds, double perExposedUnit) {

        Buckets {
            for (int i = 1; i < bounds.length; i++) {
                if (bounds[i] <= bounds[i - 1]) {
                    throw new IllegalArgumentException("bounds must ascend: " + Arrays.toString(bounds));
                }
            }
            bounds = bounds.clone();
        }

        /** The exposed upper bounds ({@code le}), {@code +Inf} last. */
        double[] exposed() {
            double[] le = new double[bounds.length + 1];
            for (int i = 0; i < bounds.length; i++) {
                le[i] = bounds[i] / perExposedUnit;
            }
            le[bounds.length] = Double.POSITIVE_INFINITY;
            return le;
        }
    }

    private final Buckets buckets;
    private final double[] exposedBounds;
    private final LongAdder[] counts;
    private final LongAdder sum = new LongAdder();

    FixedHistogram(Buckets buckets) {
        this.buckets = buckets;
        this.exposedBounds = buckets.exposed();
        this.counts = new LongAdder[exposedBounds.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one observation in recorded units; a negative one (a clock that stepped back) counts as 0. */
    void record(long value) {
        long v = Math.max(0, value);
        long[] bounds = buckets.bounds;
        int i = 0;
        while (i < bounds.length && v > bounds[i]) {
            i++;
        }
        counts[i].increment();
        sum.add(v);
    }

    /** Observations so far. */
    long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    /** The histogram now, as a Prometheus data point with {@code labels}. */
    HistogramDataPointSnapshot snapshot(Labels labels) {
        long[] perBucket = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            perBucket[i] = counts[i].sum();
        }
        return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(exposedBounds, perBucket),
                sum.sum() / buckets.perExposedUnit, labels, Exemplars.EMPTY, 0L);
    }
}
