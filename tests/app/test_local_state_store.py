"""The app keeps drafts in the account's store, and takes in the JSON files of older releases."""

from __future__ import annotations

import json
from pathlib import Path

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from tests.app.test_store_inbox import started, store_app
from tests.app_fixtures import STANDARD, settle


async def test_an_old_drafts_file_shows_in_the_composer_and_is_set_aside(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    key = conversation_key(number)
    old = {"version": 1, "drafts": {key: "Typed before the upgrade"}}
    (tmp_path / "drafts.json").write_text(json.dumps(old), "utf-8")
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        inbox.open_conversation(key)
        await settle(pilot)
        assert inbox.composer.text == "Typed before the upgrade"
        await pilot.press("tab", "tab", *" and after")  # typed on: kept in the store
        inbox.compose_flow.flush()
    assert not (tmp_path / "drafts.json").exists()
    assert json.loads((tmp_path / "drafts.json.imported").read_text("utf-8")) == old

    again = store_app(fresh_gateway, tmp_path)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        inbox.open_conversation(key)
        await settle(pilot)
        assert inbox.composer.text.startswith("Typed before the upgrade")
        assert not (tmp_path / "drafts.json").exists(), "the store holds it, not a new file"
