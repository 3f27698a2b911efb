"""The web server's process: warm up, serve on the configured address, clean up on exit.

What a server keeps on disk while it runs (exports, Gradio's file cache) lives in one private
folder that goes when it stops, by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal

from assistant.config import Settings
from assistant.ui import build_app, open_assistant
from assistant.ui_assets import launch_kwargs
from assistant.ui_export import ExportFolder


def serve(settings: Settings) -> None:
    # Not `import torch` here: the ONNX embedder serves without it (torch alone is 200 MB of RSS),
    # and the torch embedder sets its own threads (`embedder.threads`, one by default: on 2 busy
    # cores a query took 1.08 s with torch's default threads, 0.08 s with one).
    assistant, status = open_assistant(settings)
    if assistant is not None:
        assistant.warm()  # before the URL is printed: the first coder does not wait for loading
    exports = ExportFolder()
    # Gradio's file cache in the private folder: packets are served in place, never copied out.
    os.environ["GRADIO_TEMP_DIR"] = str(exports.root)
    # A stop by SIGTERM (a service manager, kill) shuts down like Ctrl-C, so the folder goes too.
    signal.signal(signal.SIGTERM, _interrupt)
    # Ctrl-C too, explicitly: a parent that ignores SIGINT (nohup, some service managers, a test
    # runner) passes the ignore on, and Python then never raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app = build_app(assistant, status, exports)
        print(f"CodeCite UI: http://{settings.ui.host}:{settings.ui.port}", flush=True)
        # Questions wait in the queue rather than being refused (default max_size is unbounded).
        app.queue().launch(**launch_kwargs(settings))
    finally:
        exports.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
