"""Offline, the composer says the gateway is out of reach, not that a setting is missing; our
numbers are asked for again by r (and by the checks once they run), and it can send again."""

from __future__ import annotations

from smstui.fake import FakeGateway
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle

FAST = {"poll_interval": 0.2, "status_refresh": 0.2, "poll_backoff_max": 0.4}
NEW_NUMBER = "48500000777"


async def test_an_offline_start_says_the_gateway_is_out_of_reach(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    first = make_app(fresh_gateway)
    async with first.run_test(size=STANDARD) as pilot:
        await settle(pilot)  # the store now holds the inbox
    fresh_gateway.add_fault("reset", "*", times=0)
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = inbox_of(app)
        await wait_for(
            pilot, lambda: inbox.session.numbers_error is not None, what="our numbers to fail"
        )
        inbox.start_conversation(NEW_NUMBER)  # n: no conversation to take our number from
        await wait_for(pilot, lambda: inbox.composer.conversation_key is not None, what="bound")
        reason = str(inbox.composer.text_area.placeholder)  # where a composer says why not
        assert "Can't reach the gateway" in reason
        assert "default_sender" not in reason
        assert not inbox.composer.can_reply
        fresh_gateway.clear_faults()
        inbox.action_refresh()  # r (the composer has the focus: called, not typed)
        await wait_for(pilot, lambda: inbox.composer.can_reply, what="a number to send from")
