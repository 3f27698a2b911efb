"""The web UI's look: theme, header, CSS and its one script (badge colours, the laptop and phone
layouts, [n] links that open their source card).

Badge colours live in one table so a unit test can check their WCAG AA contrast.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.claim_render import CLAIM_CSS
from assistant.config import Settings
from assistant.ui_render import settings_html, status_html

if TYPE_CHECKING:
    from assistant.service import Assistant

# claim effect -> (background, text, border); text >= 4.5:1 on the background, border >= 3:1 on white.
BADGE_COLOURS: dict[str, tuple[str, str, str]] = {
    "not_billable": ("#ffedd5", "#9a3412", "#c2410c"),  # amber-red: do not bill it
    "billable": ("#dcfce7", "#14532d", "#15803d"),  # green: report it
    "needs_modifier": ("#dbeafe", "#1e3a8a", "#1d4ed8"),  # blue: only with a modifier
    "unknown": ("#f3f4f6", "#374151", "#6b7280"),  # grey: not stated, declined, descriptive
    "working": ("#f3f4f6", "#374151", "#6b7280"),  # grey until the verdict arrives
}
FOCUS = "#1d4ed8"


def _badge_css() -> str:
    return "".join(
        f".cc-effect-{key}{{background:{bg};color:{fg};border-color:{border}}}"
        for key, (bg, fg, border) in BADGE_COLOURS.items()
    )


CSS = (
    """
.cc-badge{display:inline-block;padding:3px 10px;border-radius:999px;font-weight:600;font-size:.85rem;
  border:1px solid transparent;letter-spacing:.01em;line-height:1.3;min-width:7.5em;text-align:center}
"""
    + _badge_css()
    + f"""
.cc-effect-working::after{{content:"";display:inline-block;width:.5em;height:.5em;margin-left:.4em;
  border-radius:50%;background:currentColor;animation:cc-pulse 1s ease-in-out infinite alternate}}
@keyframes cc-pulse{{from{{opacity:.2}}to{{opacity:1}}}}
@media (prefers-reduced-motion:reduce){{.cc-effect-working::after{{animation:none}}}}
.cc-badge-row{{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;min-height:1.9em;
  margin-bottom:6px}}
.cc-decided{{color:#374151 !important;font-size:.8rem}}
#cc-chat .cc-decided{{display:block;margin-top:4px}}
/* Gradio's own light-blue selected tab and footer link are below 4.5:1 on white */
button[role=tab][aria-selected=true]{{color:{FOCUS} !important}}
.show-api,.show-api *{{color:#374151 !important}}
.cc-hint{{color:#4b5563;font-size:.85rem}}
.cc-warn{{background:#fff7ed;border:1px solid #c2410c;color:#7c2d12;border-radius:8px;padding:8px 10px;
  margin:8px 0;font-size:.9rem}}
.cc-status{{background:#fef2f2;border:1px solid #fca5a5;color:#7f1d1d;border-radius:8px;padding:10px 12px}}
.cc-settings{{color:#4b5563;font-size:.8rem}}
.cc-settings b{{color:#111827}}
.cc-panel h4{{margin:10px 0 4px;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#4b5563}}
.cc-source,.cc-rule,.cc-record{{border:1px solid #d1d5db;border-radius:10px;padding:8px 12px;margin:6px 0;
  background:#fff;color:#111827;scroll-margin:8px}}
.cc-source.cc-hl,.cc-rule.cc-hl{{border-color:{FOCUS};box-shadow:0 0 0 3px #bfdbfe;background:#eff6ff}}
.cc-src-head{{font-weight:600;color:#111827}}
.cc-n{{display:inline-block;margin-right:6px;color:#1e40af}}
.cc-meta{{color:#4b5563;font-size:.8rem;margin:2px 0 6px}}
.cc-quote{{border-left:3px solid #9ca3af;padding:2px 0 2px 10px;margin:6px 0;color:#1f2937;font-size:.9rem}}
.cc-quote mark{{background:#fde68a;color:#111827;padding:0 2px;border-radius:3px}}
.cc-facts{{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0;font-size:.85rem}}
.cc-facts dt{{font-weight:600;color:#111827}}
.cc-facts dd{{margin:0;color:#1f2937}}
.cc-refs{{margin:4px 0 0 0;padding-left:18px;color:#4b5563;font-size:.8rem}}
.cc-empty{{color:#4b5563;font-style:italic}}
.cc-record ul{{margin:4px 0 8px;padding-left:18px;font-size:.9rem}}
.cc-record .cc-reason{{color:#4b5563}}
a.cc-ref{{color:#1e40af;font-weight:600;text-decoration:underline;text-underline-offset:2px;cursor:pointer;
  border-radius:3px;padding:0 1px}}
.cc-pos{{color:#4b5563;font-size:.8rem;margin-left:auto}}
.cc-queue{{color:#1f2937;font-size:.85rem;background:#f3f4f6;border:1px solid #9ca3af;border-radius:8px;
  padding:4px 10px;margin:0}}
.cc-queue ol{{margin:2px 0 2px 18px;padding:0}}
a:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible,[tabindex]:focus-visible,
.cc-source:focus,.cc-rule:focus{{outline:3px solid {FOCUS} !important;outline-offset:2px}}
#cc-header .prose{{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 16px}}
#cc-header h1{{font-size:1.1rem;margin:0}}
#cc-queue:has(.prose:empty){{display:none}}
#cc-phi:has(.prose:empty){{display:none}}
#cc-chips{{gap:6px;align-items:center;flex-wrap:wrap}}
#cc-chips button{{flex:0 0 auto !important;width:auto !important;min-width:64px !important;
  border-radius:999px !important;font-family:ui-monospace,monospace;padding:2px 12px !important}}
#cc-chips-label{{flex:1 0 100% !important;color:#4b5563;font-size:.8rem;padding:0 !important}}
#cc-toolbar{{gap:6px;flex-wrap:wrap}}
#cc-toolbar button,#cc-toolbar a{{flex:0 0 auto !important;width:auto !important;min-width:0 !important}}
#cc-sources,#cc-record{{max-height:calc(100vh - 440px);min-height:160px;overflow-y:auto !important}}
#cc-ask-row{{flex-wrap:nowrap;gap:8px}}
@media (max-width:700px){{
  #cc-ask-row{{flex-wrap:wrap}}
  #cc-question{{flex:1 0 100% !important;min-width:100% !important}}
  #cc-ask{{flex:1 0 100% !important}}
  #cc-sources,#cc-record{{max-height:none}}
  #cc-header .cc-settings{{display:none}}
}}
"""
)

# [n] in an answer opens its source card: the message click selects that answer (a Gradio event
# that re-renders the panel), so the card is highlighted once the panel shows that answer.
# A new answer is scrolled to its start (badge and first sentence), not to its last line.
HEAD = """
<script>
(() => {
  let pending = null;
  const highlight = () => {
    if (!pending || Date.now() > pending.until) { pending = null; return; }
    const card = document.getElementById(pending.id);
    if (!card || card.classList.contains('cc-hl')) return;
    document.querySelectorAll('#cc-sources .cc-hl').forEach((el) => el.classList.remove('cc-hl'));
    const tab = document.querySelector('#cc-tab-sources-button');
    if (tab && tab.getAttribute('aria-selected') === 'false') tab.click();
    card.classList.add('cc-hl');
    // Scroll the sources pane itself, so its tabs stay in view; on a phone the pane is not capped.
    const pane = document.querySelector('#cc-sources');
    if (pane && pane.scrollHeight > pane.clientHeight + 1) {
      pane.scrollTop += card.getBoundingClientRect().top - pane.getBoundingClientRect().top - 8;
    } else {
      card.scrollIntoView({block: 'nearest'});
    }
    card.focus({preventScroll: true});
  };
  let shown = '';
  const toNewest = () => {
    const bots = document.querySelectorAll('#cc-chat .bot-row');
    const badge = bots.length ? bots[bots.length - 1].querySelector('.cc-badge') : null;
    const key = bots.length + ':' + (badge ? badge.className : '');
    if (key === shown) return;
    shown = key;
    const users = document.querySelectorAll('#cc-chat .user-row');
    const wrap = document.querySelector('#cc-chat .bubble-wrap');
    if (!users.length || !wrap) return;
    const top = users[users.length - 1].getBoundingClientRect().top - wrap.getBoundingClientRect().top;
    wrap.scrollTop += top - 8;
  };
  document.addEventListener('click', (event) => {
    const ref = event.target.closest && event.target.closest('a.cc-ref');
    if (!ref) return;
    event.preventDefault();  // the panel shows the card; the page does not jump
    pending = {id: ref.getAttribute('href').slice(1), until: Date.now() + 4000};
    highlight();
  }, true);
  new MutationObserver(() => { highlight(); toNewest(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""

THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    # System fonts: the default theme fetches Google Fonts, and this app runs offline.
    font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
).set(
    # The theme's light blue gives white text 2.5:1; this blue gives 6.7:1 (WCAG AA).
    button_primary_background_fill="#1d4ed8",
    button_primary_background_fill_hover="#1e40af",
    button_primary_text_color="#ffffff",
    # The theme's grey field labels and hints are below 4.5:1 on white.
    block_info_text_color="#4b5563",
    block_label_text_color="#374151",
    block_title_text_color="#374151",
    checkbox_label_background_fill_selected="#1d4ed8",
    checkbox_label_text_color_selected="#ffffff",
)


def header(assistant: Assistant | None, status: str) -> None:
    """Title and what answers (model, knowledge base version) in one compact line."""
    settings = settings_html(assistant.model_label, assistant.index.manifest) if assistant else ""
    gr.HTML(f"<h1>CodeCite · cited answers for procedure coding</h1>{settings}", elem_id="cc-header")
    if assistant is not None and assistant.settings.llm.provider == "openai":
        gr.HTML(server_note(assistant.settings), elem_id="cc-server-note")
    if status:
        gr.HTML(status_html(status), elem_id="cc-status")


def server_note(settings: Settings) -> str:
    """What leaves this machine when answers use a model server (issue 15: say so in the UI)."""
    where = escape(settings.llm.base_url)
    if settings.llm.role == "write":
        sent = "your question, the last turns of this conversation and the cited passages"
    else:
        sent = "the cited passages and the answer's first sentence, which may quote your words"
    return f'<p class="cc-hint">Answers use the model server at <b>{where}</b>: {sent} are sent to it.</p>'


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Arguments for `Blocks.launch`, shared by `launch` and the browser tests."""
    auth = (settings.ui.auth_user, settings.ui.auth_password)
    return {
        "server_name": settings.ui.host,
        "server_port": settings.ui.port,
        "auth": auth if all(auth) else None,
        "theme": THEME,
        "css": CSS + CLAIM_CSS,
        "head": HEAD,
        "ssr_mode": False,
        "footer_links": ["api"],
        # Gradio's traffic dashboard (/monitoring, /monitoring/summary) is off: it is not needed
        # offline, and its summary route answered without a login.
        "enable_monitoring": False,
    }
