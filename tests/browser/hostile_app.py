"""A test server: the real app over the session's index, with a model whose every reply carries
hostile markup (the reply comes from CODECITE_TEST_REPLY). Run as `python -m tests.browser.hostile_app`."""

from __future__ import annotations

import os

from assistant.config import load_settings
from assistant.llm_models import CannedChat
from assistant.service import build_assistant
from assistant.ui import build_app
from assistant.ui_assets import launch_kwargs

if __name__ == "__main__":
    settings = load_settings()
    model = CannedChat(responses=[os.environ["CODECITE_TEST_REPLY"]])  # the list model repeats it
    app = build_app(build_assistant(settings, chat_model=model))
    app.queue().launch(**launch_kwargs(settings))
