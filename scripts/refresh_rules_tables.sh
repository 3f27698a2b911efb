#!/usr/bin/env bash
# Dev only: copy the whole-section CMS tables from ../shared/reference/cms/ncci-2024q3-all/ into
# assistant/rules_data/ (the product never reads ../shared). Then `codecite rules build`.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=../shared/reference/cms/ncci-2024q3-all
[ -d "$SRC" ] || { echo "skipped: $SRC not found (dev-only, needs ../shared)"; exit 0; }
for f in ncci_ptp_practitioner_2024-07-01_all.tsv.gz ncci_ptp_outpatient_hospital_2024-07-01_all.tsv.gz \
         ncci_mue_2024-07-01_all.tsv.gz ncci_addon_code_edits_2024-06-03_all.tsv.gz \
         pprrvu2025_oct_all_no_descriptors.csv.gz; do
  cp "$SRC/$f" assistant/rules_data/
done
echo "copied; the file list and as-of dates are in assistant/rules_data/tables.json"
