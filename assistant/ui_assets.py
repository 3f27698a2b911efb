"""The web UI's look: theme, header, CSS and its one script (badge colours, the laptop and phone
layouts, [n] links that open their source card).

Badge colours live in one table so a unit test can check their WCAG AA contrast.
"""

from __future__ import annotations

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
.cc-decided{{color:#4b5563;font-size:.8rem}}
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
#cc-header{{align-items:baseline;gap:4px 16px;flex-wrap:wrap}}
#cc-header h1{{font-size:1.15rem;margin:0}}
#cc-title,#cc-settings{{flex:0 1 auto !important;min-width:0 !important}}
#cc-chips{{gap:6px;align-items:center;flex-wrap:wrap}}
#cc-chips button{{flex:0 0 auto !important;width:auto !important;min-width:64px !important;
  border-radius:999px !important;font-family:ui-monospace,monospace;padding:2px 12px !important}}
#cc-chips-label{{flex:1 0 100% !important;color:#4b5563;font-size:.8rem;padding:0 !important}}
#cc-toolbar{{gap:6px;flex-wrap:wrap}}
#cc-toolbar button,#cc-toolbar a{{flex:0 0 auto !important;width:auto !important;min-width:0 !important}}
#cc-sources,#cc-record{{max-height:calc(100vh - 330px);overflow-y:auto}}
#cc-ask-row{{flex-wrap:nowrap;gap:8px}}
@media (max-width:700px){{
  #cc-ask-row{{flex-wrap:wrap}}
  #cc-question{{flex:1 0 100% !important;min-width:100% !important}}
  #cc-ask{{flex:1 0 100% !important}}
  #cc-sources,#cc-record{{max-height:none}}
  #cc-settings{{display:none}}
}}
"""
)

# [n] in an answer opens its source card: the message click selects that answer (a Gradio event
# that re-renders the panel), so the card is highlighted again once the panel shows that turn.
HEAD = """
<script>
(() => {
  let pending = null;
  const apply = () => {
    if (!pending || Date.now() > pending.until) { pending = null; return; }
    const panel = document.querySelector('#cc-sources .cc-panel');
    if (!panel || panel.dataset.turn !== pending.turn) return;
    const card = panel.querySelector('#cc-src-' + pending.n);
    if (!card || card.classList.contains('cc-hl')) return;
    panel.querySelectorAll('.cc-hl').forEach((el) => el.classList.remove('cc-hl'));
    const tab = document.querySelector('#cc-tab-sources-button');
    if (tab && tab.getAttribute('aria-selected') === 'false') tab.click();
    card.classList.add('cc-hl');
    card.scrollIntoView({block: 'nearest'});
    card.focus({preventScroll: true});
  };
  document.addEventListener('click', (event) => {
    const ref = event.target.closest && event.target.closest('a.cc-ref');
    if (!ref) return;
    event.preventDefault();  // no navigation: the panel shows the card
    pending = {n: ref.dataset.n, turn: ref.dataset.turn, until: Date.now() + 4000};
    apply();
  }, true);
  new MutationObserver(apply).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""

THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    # System fonts: the default theme fetches Google Fonts, and this app runs offline.
    font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)


def header(assistant: Assistant | None, status: str) -> None:
    with gr.Row(elem_id="cc-header"):
        gr.HTML("<h1>CodeCite · cited answers for procedure coding</h1>", elem_id="cc-title")
        if assistant is not None:
            gr.HTML(settings_html(assistant.model_label, assistant.index.manifest), elem_id="cc-settings")
    if status:
        gr.HTML(status_html(status), elem_id="cc-status")


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
    }
