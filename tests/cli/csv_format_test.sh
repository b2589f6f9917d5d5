#!/usr/bin/env bash
# Every command reads files in another CSV format (--delimiter, --lenient, --decimal-comma) to
# the same result as the comma-separated originals. Usage: csv_format_test.sh SPM EXAMPLES OUT
set -euo pipefail
spm=$1 ex=$2 out=$3
rm -rf "$out" && mkdir -p "$out" && cd "$out"
semi() { sed 's/,/;/g' "$1"; }

# comp: amounts as a European export writes them (1.234,50), ';' between fields.
printf 'transaction_id,payee_id,date,amount,currency\nT1,alice,2026-01-10,60000.25,USD\nT2,alice,2026-02-15,51234.5,USD\n' > tx.csv
printf 'transaction_id;payee_id;date;amount;currency\nT1;alice;2026-01-10;60.000,25;USD\nT2;alice;2026-02-15;51.234,50;USD\n' > tx-eu.csv
semi "$ex/tier-marginal/quotas.csv" > quotas-eu.csv
"$spm" comp run --plan "$ex/tier-marginal/plan.json" --transactions tx.csv --quotas "$ex/tier-marginal/quotas.csv" --period 2026-Q1 --out comp > /dev/null
"$spm" comp run --plan "$ex/tier-marginal/plan.json" --transactions tx-eu.csv --quotas quotas-eu.csv --period 2026-Q1 --delimiter ';' --lenient --decimal-comma --out comp-eu > /dev/null
cmp comp/statements.csv comp-eu/statements.csv && cmp comp/lines.csv comp-eu/lines.csv
# Without --lenient the grouped amounts are rejects that say what would read them.
"$spm" comp run --plan "$ex/tier-marginal/plan.json" --transactions tx-eu.csv --quotas quotas-eu.csv --period 2026-Q1 --delimiter ';' --decimal-comma --out comp-strict > /dev/null || test $? -eq 3  # every row rejected
grep -c "only when read leniently" comp-strict/rejects.csv | sed 's/^/comp strict rejects: /'
echo "comp same"

# quota: tab-separated.
q=$ex/quota/caps-floors
for f in targets reps history; do tr ',' '\t' < "$q/$f.csv" > "$f.tsv"; done
"$spm" quota allocate --targets "$q/targets.csv" --reps "$q/reps.csv" --history "$q/history.csv" --method history --max-increase 0.5 --max-decrease 0.1 --out quota > /dev/null
"$spm" quota allocate --targets targets.tsv --reps reps.tsv --history history.tsv --method history --max-increase 0.5 --max-decrease 0.1 --delimiter tab --out quota-tab > /dev/null
cmp quota/quotas.csv quota-tab/quotas.csv && echo "quota same"

# forecast: ';', and decimal commas in probabilities (floats) and amounts (decimals).
f=$ex/forecast
semi "$f/pipeline.csv" | sed 's/;0\.\([0-9]*\);\([0-9]*\)$/;0,\1;\2,00/' > pipeline-eu.csv
grep -c ';0,[0-9]*;[0-9]*,00$' pipeline-eu.csv | sed 's/^/forecast rows rewritten: /'
semi "$f/targets.csv" > targets-eu.csv
"$spm" forecast distribution --deals "$f/pipeline.csv" --group owner_id --targets "$f/targets.csv" --out fc | head -1 > fc.txt
"$spm" forecast distribution --deals pipeline-eu.csv --group owner_id --targets targets-eu.csv --delimiter ';' --decimal-comma --out fc-eu | head -1 > fc-eu.txt
cmp fc.txt fc-eu.txt && echo "forecast same"

# territory: ';' (activities are plain numbers: no --lenient there).
t=$ex/territory/rows
for x in units edges assignment; do semi "$t/$x.csv" > "$x-semi.csv"; done
"$spm" territory evaluate --units "$t/units.csv" --adjacency "$t/edges.csv" --assignment "$t/assignment.csv" --out terr > /dev/null
"$spm" territory evaluate --units units-semi.csv --adjacency edges-semi.csv --assignment assignment-semi.csv --delimiter ';' --out terr-semi > /dev/null
cmp terr/territories.csv terr-semi/territories.csv && echo "territory same"
if "$spm" territory evaluate --units units-semi.csv --lenient --out x 2> /dev/null; then echo "territory took --lenient"; fi
"$spm" csv check tx.csv --delimiter ';;' 2>&1 | head -1 || true
