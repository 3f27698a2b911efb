"""Gradio entry point: `python app.py` starts the CodeCite web UI on 127.0.0.1."""

from assistant.config import load_settings
from assistant.ui import launch

if __name__ == "__main__":
    launch(load_settings())
