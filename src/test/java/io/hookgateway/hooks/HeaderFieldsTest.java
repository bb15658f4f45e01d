package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header fields: ordered, repeatable, looked up in any case, and immutable once built. */
class HeaderFieldsTest {

    private static final HeaderFields FIELDS = HeaderFields.of(
            "Content-Type", "application/json",
            "X-Tag", "one",
            "x-tag", "two",
            "Accept", "*/*");

    @Test
    void keepsFieldsInTheOrderAddedWithTheirNamesAsWritten() {
        assertThat(FIELDS.size()).isEqualTo(4);
        assertThat(FIELDS.name(1)).isEqualTo("X-Tag");
        assertThat(FIELDS.value(1)).isEqualTo("one");
        assertThat(FIELDS.name(2)).isEqualTo("x-tag");
        assertThat(FIELDS.value(3)).isEqualTo("*/*");
    }

    @Test
    void getFindsTheFirstFieldOfANameInAnyCase() {
        assertThat(FIELDS.get("content-type")).isEqualTo("application/json");
        assertThat(FIELDS.get("X-TAG")).isEqualTo("one");
        assertThat(FIELDS.get("Absent")).isNull();
    }

    @Test
    void getAllFindsEveryFieldOfANameInOrder() {
        assertThat(FIELDS.getAll("x-Tag")).containsExactly("one", "two");
        assertThat(FIELDS.getAll("Absent")).isEmpty();
    }

    @Test
    void getAllCannotBeChanged() {
        assertThatThrownBy(() -> FIELDS.getAll("X-Tag").add("three"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void countsAndFindsFieldsInAnyCase() {
        assertThat(FIELDS.count("X-TAG")).isEqualTo(2);
        assertThat(FIELDS.count("accept")).isEqualTo(1);
        assertThat(FIELDS.count("Absent")).isZero();
        assertThat(FIELDS.contains("ACCEPT")).isTrue();
        assertThat(FIELDS.contains("Absent")).isFalse();
    }

    @Test
    void forEachVisitsEveryFieldInOrder() {
        List<String> seen = new ArrayList<>();

        FIELDS.forEach((name, value) -> seen.add(name + "=" + value));

        assertThat(seen).containsExactly("Content-Type=application/json", "X-Tag=one", "x-tag=two", "Accept=*/*");
    }

    @Test
    void refusesIndexesOutsideTheFields() {
        assertThatThrownBy(() -> FIELDS.name(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> FIELDS.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> HeaderFields.empty().name(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void ofRefusesANameWithoutAValue() {
        assertThatThrownBy(() -> HeaderFields.of("A", "1", "B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("names and values must come in pairs");
    }

    @Test
    void theBuilderRefusesNullNamesAndValues() {
        assertThatThrownBy(() -> HeaderFields.builder().add(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HeaderFields.builder().add("n", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void emptyFieldsAreOneSharedInstance() {
        assertThat(HeaderFields.empty().isEmpty()).isTrue();
        assertThat(HeaderFields.empty().size()).isZero();
        assertThat(HeaderFields.builder().build()).isSameAs(HeaderFields.empty());
        assertThat(HeaderFields.of()).isSameAs(HeaderFields.empty());
    }

    @Test
    void theBuilderGrowsPastItsExpectedSize() {
        HeaderFields.Builder builder = HeaderFields.builder(1);
        for (int i = 0; i < 50; i++) {
            builder.add("X-" + i, Integer.toString(i));
        }

        HeaderFields fields = builder.build();

        assertThat(builder.size()).isEqualTo(50);
        assertThat(fields.size()).isEqualTo(50);
        assertThat(fields.get("x-0")).isEqualTo("0");
        assertThat(fields.get("X-49")).isEqualTo("49");
    }

    @Test
    void fieldsAlreadyBuiltDoNotChangeWhenTheBuilderAddsMore() {
        HeaderFields.Builder builder = HeaderFields.builder(4).add("A", "1");
        HeaderFields first = builder.build();

        builder.add("B", "2");
        HeaderFields second = builder.build();

        assertThat(first.size()).isEqualTo(1);
        assertThat(first.contains("B")).isFalse();
        assertThat(first).isEqualTo(HeaderFields.of("A", "1"));
        assertThat(second).isEqualTo(HeaderFields.of("A", "1", "B", "2"));
    }

    @Test
    void equalFieldsHaveTheSameNamesValuesAndOrder() {
        HeaderFields same = HeaderFields.builder(1)
                .add("Content-Type", "application/json").add("X-Tag", "one").add("x-tag", "two").add("Accept", "*/*")
                .build();

        assertThat(same).isEqualTo(FIELDS).hasSameHashCodeAs(FIELDS);
        assertThat(HeaderFields.of("A", "1", "B", "2")).isNotEqualTo(HeaderFields.of("B", "2", "A", "1"));
        assertThat(HeaderFields.of("A", "1")).isNotEqualTo(HeaderFields.of("a", "1"));
        assertThat(HeaderFields.of("A", "1")).isNotEqualTo(HeaderFields.of("A", "1", "A", "1"));
        assertThat(HeaderFields.of("A", "1")).isNotEqualTo("A: 1");
    }

    @Test
    void printsAsNameColonValueList() {
        assertThat(HeaderFields.of("A", "1", "B", "two words")).hasToString("{A: 1, B: two words}");
        assertThat(HeaderFields.empty()).hasToString("{}");
    }
}
