"""Properties of the clawback netting rule (payments.clawbacks.netting_plan) over generated
batches: money is neither made nor lost, no line goes to zero or below, a clawback is netted
whole and once, within its own payee, and a payee who owes at least what they are owed is sent
nothing. Pure: no database."""

from hypothesis import given, settings
from hypothesis import strategies as st

from itda.payments.clawbacks import Due, netting_plan

PAYEES = [("trainee", 1), ("trainee", 2), ("company", 1)]


@st.composite
def batches(draw) -> list[Due]:
    amounts = draw(
        st.lists(
            st.tuples(
                st.sampled_from(PAYEES),
                st.integers(-3_000_000, 3_000_000).filter(bool),
            ),
            min_size=1,
            max_size=12,
        )
    )
    # Ids in a shuffled order: "oldest first" is by id, not by list position.
    ids = draw(st.permutations(range(1, len(amounts) + 1)))
    return [Due(pk, payee, amount) for pk, (payee, amount) in zip(ids, amounts, strict=True)]


@settings(max_examples=400, deadline=None)
@given(batches())
def test_netting_moves_money_without_making_or_losing_any(dues):
    plan = netting_plan(dues)
    positives = {d.pk: d for d in dues if d.amount_krw > 0}
    netted = [c for offsets in plan.offsets.values() for c in offsets]
    # Each clawback is netted whole, at most once, against a line of its own payee.
    assert len({c.pk for c in netted}) == len(netted)
    assert all(c.amount_krw < 0 for c in netted)
    for line_pk, offsets in plan.offsets.items():
        line = positives[line_pk]
        assert line_pk not in plan.held
        assert all(c.payee == line.payee for c in offsets)
        # A line keeps sending something: it never reaches zero or goes below.
        assert plan.sent(line) > 0
    # What is sent is what was owed minus exactly the clawbacks netted.
    sent = sum(plan.sent(d) for pk, d in positives.items() if pk not in plan.held)
    owed = sum(d.amount_krw for pk, d in positives.items() if pk not in plan.held)
    assert sent == owed + sum(c.amount_krw for c in netted)


@settings(max_examples=400, deadline=None)
@given(batches())
def test_a_payee_owing_at_least_what_they_are_owed_is_sent_nothing(dues):
    plan = netting_plan(dues)
    for payee in PAYEES:
        rows = [d for d in dues if d.payee == payee]
        positives = {d.pk for d in rows if d.amount_krw > 0}
        owes = any(d.amount_krw < 0 for d in rows)
        if owes and sum(d.amount_krw for d in rows) <= 0:
            assert positives <= plan.held
            assert not positives & set(plan.offsets)
        else:
            assert not positives & plan.held
            # Netting never sends a payee less than the net of what they are owed and owe.
            sent = sum(plan.sent(d) for d in rows if d.amount_krw > 0)
            assert sent >= sum(d.amount_krw for d in rows)


@settings(max_examples=200, deadline=None)
@given(batches())
def test_the_plan_does_not_depend_on_the_order_rows_arrive_in(dues):
    forward, backward = netting_plan(dues), netting_plan(list(reversed(dues)))
    assert forward.held == backward.held
    assert {k: sorted(c.pk for c in v) for k, v in forward.offsets.items()} == {
        k: sorted(c.pk for c in v) for k, v in backward.offsets.items()
    }
