package io.hookgateway.clients;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Some address ranges, as a configuration lists them: a linear scan, since such a list holds a few ranges, and a scan
 * of a few is two AND-and-compare steps a range.
 */
public final class AddressSet {

    public static final AddressSet EMPTY = new AddressSet(List.of());

    private final List<AddressRange> ranges;

    private AddressSet(List<AddressRange> ranges) {
        this.ranges = ranges;
    }

    public static AddressSet of(List<AddressRange> ranges) {
        return ranges.isEmpty() ? EMPTY : new AddressSet(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(IpAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSet other && other.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The ranges as written, {@code [10.0.0.0/8, ::1]}. */
    @Override
    public String toString() {
        return ranges.stream().map(AddressRange::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
