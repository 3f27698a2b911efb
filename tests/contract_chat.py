"""What our chat models claim, in the terms of langchain-tests' capability properties.

One mixin for the unit and integration suites (its properties come before the suite's in the MRO),
so both switch off the same tests for the same reasons."""

from __future__ import annotations


class LocalChatCapabilities:
    """A plain text-in, text-out chat model: the chain only asks for one checked sentence or a
    cited answer, and verdicts never rest on the model (see README, "How it answers")."""

    @property
    def has_tool_calling(self) -> bool:
        # No `bind_tools`: the chain never lets the model call tools, and SmolLM2-135M has no
        # tool-call format to parse.
        return False

    @property
    def has_tool_choice(self) -> bool:
        return False  # follows from no tool calling

    @property
    def has_structured_output(self) -> bool:
        # No `with_structured_output`: nothing asks the model for JSON; structure comes from the
        # records and the CMS tables.
        return False

    @property
    def supports_json_mode(self) -> bool:
        return False  # no structured output, see above

    @property
    def supports_image_inputs(self) -> bool:
        return False  # text-only models; message content is sent as a string

    @property
    def supports_image_urls(self) -> bool:
        return False  # and an offline tool fetches no URL

    @property
    def supports_pdf_inputs(self) -> bool:
        return False  # text only

    @property
    def supports_audio_inputs(self) -> bool:
        return False  # text only

    @property
    def supports_video_inputs(self) -> bool:
        return False  # text only

    @property
    def supports_image_tool_message(self) -> bool:
        return False  # no tools, no images

    @property
    def supports_pdf_tool_message(self) -> bool:
        return False  # no tools, no PDFs

    @property
    def supports_anthropic_inputs(self) -> bool:
        return False  # not an Anthropic model; content blocks are not sent

    @property
    def returns_usage_metadata(self) -> bool:
        # One flag covers invoke and stream. llama-cpp-python's stream chunks carry no token counts,
        # so streamed answers cannot report usage; `invoke` does (tested beside the suite).
        return False

    @property
    def supports_model_override(self) -> bool:
        # One model per instance (a GGUF file loaded in-process); a per-call `model` is not a
        # different model to load.
        return False

    @property
    def enable_vcr_tests(self) -> bool:
        return False  # nothing goes over HTTP to record: the model runs in-process
