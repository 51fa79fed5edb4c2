"""recognize.select: the longest of overlapping spans wins, names apart from other types."""
from __future__ import annotations


from pipeline.recognize import select
from pipeline.recognize.mention import Mention
from timing import assert_linear


def m(label: str, start: int, end: int) -> Mention:
    return Mention(label, start, end, "x" * (end - start))


def spans(mentions: list[Mention]) -> list[tuple[str, int, int]]:
    return [(x.type, x.start, x.end) for x in mentions]


def test_longest_of_overlapping_spans_wins_and_the_rest_stay_in_text_order():
    found = select([m("DURATION", 0, 5), m("DATE", 0, 7), m("MONEY", 10, 14), m("COUNT", 6, 9)])
    assert spans(found) == [("DATE", 0, 7), ("MONEY", 10, 14)]


def test_same_length_goes_to_the_type_listed_first():
    assert spans(select([m("COUNT", 0, 3), m("MONEY", 0, 3)])) == [("MONEY", 0, 3)]


def test_names_may_overlap_other_types_but_not_each_other():
    found = select([m("ROAD", 0, 4), m("PROJECT", 0, 10), m("ORG", 5, 8)])
    assert spans(found) == [("ROAD", 0, 4), ("PROJECT", 0, 10)]


def test_adding_to_a_selection_is_selecting_everything_again():
    selected = select([m("MONEY", 0, 4), m("ORG", 10, 16)])
    new = [m("ORG", 12, 20), m("PROJECT", 30, 35)]
    assert select(new, selected) == select(selected + new)


def test_a_group_without_new_mentions_stands_as_selected():
    selected = select([m("MONEY", 0, 4), m("DATE", 5, 9)])
    found = select([m("ORG", 2, 8)], selected)
    assert spans(found) == [("MONEY", 0, 4), ("ORG", 2, 8), ("DATE", 5, 9)]


def test_disjoint_spans_in_text_order_are_all_kept():
    found = [m("MONEY", 0, 4), m("ORG", 4, 9), m("DATE", 9, 12)]
    assert select(found) == found
    assert spans(select([m("DATE", 9, 12), m("MONEY", 0, 4)])) == [("MONEY", 0, 4), ("DATE", 9, 12)]
    assert select([m("MONEY", 0, 4), m("COUNT", 4, 4)]) == [m("MONEY", 0, 4)]


def _chain(n: int) -> list[Mention]:
    """n spans of three characters, each overlapping the next by one: one run to choose in."""
    return [m("MONEY", 2 * k, 2 * k + 3) for k in range(n)]


def test_a_chain_of_overlapping_spans_is_chosen_in_linear_time():
    found = select(_chain(7))
    assert spans(found) == [("MONEY", 0, 3), ("MONEY", 4, 7), ("MONEY", 8, 11), ("MONEY", 12, 15)]

    # each span compared with every one kept before it would be quadratic
    assert_linear(select, _chain, 5_000)
