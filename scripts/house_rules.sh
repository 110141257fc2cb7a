#!/usr/bin/env bash
# House rules that ruff does not know (see /style.md "Lint and types"): patterns that are always wrong here,
# checked with grep/perl over the whole repository (every app, the tests, scripts, CI, templates).
# Each failing rule prints the offending lines and one line saying why; the script exits 1 if any rule fails.
#
# A rare, justified exception goes on the offending line itself, with its reason, and is reviewed like a noqa:
#     cache.delete(key)  # house-rules: allow views-no-orm-writes - a cache entry, not a row
#
# Usage: scripts/house_rules.sh          (from anywhere; checks the git working tree, untracked files included)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SELF="scripts/house_rules.sh"

# Tracked and untracked-but-not-ignored files (so .venv, var/, caches are never scanned), minus deleted ones.
ALL_FILES=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    while IFS= read -r -d '' f; do
        [[ -f "$f" ]] && ALL_FILES+=("$f")
    done < <(git ls-files -z --cached --others --exclude-standard)
else
    while IFS= read -r -d '' f; do
        ALL_FILES+=("${f#./}")
    done < <(find . \( -name .git -o -name .venv -o -name var -o -name node_modules -o -name '*_cache' \
        -o -name __pycache__ -o -name test-artifacts \) -prune -o -type f -print0)
fi

# files INCLUDE_ERE [EXCLUDE_ERE]: the repository files whose path matches INCLUDE_ERE and not EXCLUDE_ERE.
files() {
    local include=$1 exclude=${2:-'^$'} f
    for f in "${ALL_FILES[@]}"; do
        [[ "$f" =~ $include && ! "$f" =~ $exclude && "$f" != "$SELF" ]] && printf '%s\n' "$f"
    done
    return 0
}

failed=0
report() {  # report RULE WHY HITS
    local rule=$1 why=$2 hits=$3
    if [[ -n "$hits" ]]; then
        printf '\nhouse rule %s FAILED: %s\n%s\n' "$rule" "$why" "$hits"
        failed=1
    else
        printf 'ok  %s\n' "$rule"
    fi
}

# rule NAME WHY PCRE FILE... : lines matching PCRE, minus those carrying "house-rules: allow NAME".
rule() {
    local name=$1 why=$2 pattern=$3
    shift 3
    local hits=""
    if (($#)); then
        hits="$(grep -nHIP -- "$pattern" "$@" | grep -v "house-rules: allow $name" || true)"
    fi
    report "$name" "$why" "$hits"
}

NOT_TESTS='(^tests/|/migrations/)'
mapfile -t PY < <(files '\.py$' '/migrations/')
mapfile -t APP_PY < <(files '\.py$' "$NOT_TESTS")
mapfile -t TEST_PY < <(files '^tests/.*\.py$')
mapfile -t VIEWS_FORMS < <(files '(^|/)(views|forms)(\.py|/.*\.py)$' "$NOT_TESTS")
# Where statutory periods get computed: services, tasks, models and permission rules of every app.
mapfile -t PERIOD_CODE < <(files '(^|/)(services(\.py|/.*\.py)|tasks\.py|models(\.py|/.*\.py)|rules\.py|deadlines\.py)$' \
    "$NOT_TESTS|^portal/(workdays|statutes)\.py$")
mapfile -t TEMPLATES < <(files '(^|/)templates/.*\.(html|txt|xml)$')
mapfile -t CI_FILES < <(files '^(scripts/|\.ci/|\.github/|Makefile$|Dockerfile|docker-compose[^/]*\.ya?ml$|pyproject\.toml$)')
mapfile -t NON_DOCS < <(files '.' '\.(md|rst)$')
mapfile -t NOT_SETUP_SCHEDULES < <(files '\.py$' "$NOT_TESTS|^portal/management/commands/setup_schedules\.py$")

# calls NAME FILE...: every call NAME(...) as "file:line: NAME(arguments on one line)"; perl matches the balanced
# parentheses, so a call that ruff format spreads over several lines is seen whole.
calls() {
    local name=$1
    shift
    (($#)) || return 0
    NAME="$name" perl -0777 -ne '
        my $name = $ENV{NAME};
        while (/\b\Q$name\E(\((?:[^()]++|(?1))*\))/g) {
            my ($args, $start) = ($1, $-[0]);
            my $line = 1 + (substr($_, 0, $start) =~ tr/\n//);
            my ($first) = split /\n/, substr($_, $start);
            next if $first =~ /house-rules: allow/;
            $args =~ s/\s+/ /g;
            print "$ARGV:$line: $name$args\n";
        }' "$@"
}

rule views-no-orm-writes \
    "views and forms only parse input and call a service: saving, creating, updating or deleting rows belongs in <app>/services" \
    '\.(save|delete|create|get_or_create|update_or_create|bulk_create|bulk_update)\(|(\)|\bobjects|\bqs|\bqueryset|_qs)\.update\(' \
    "${VIEWS_FORMS[@]}"

rule no-hard-delete-citizen-text \
    "nothing a citizen wrote (comments, petitions) is hard-deleted: hide it with a moderation flag, reason and by whom" \
    '(?i)(comment|petition|kien_nghi|y_kien)[^#]*\.delete\(' \
    "${APP_PY[@]}"

rule aware-clock \
    "use django.utils.timezone.now() (aware) or a now= parameter, never datetime.now()/utcnow()/today()" \
    '\bdatetime\.(now|utcnow|today)\(' \
    "${APP_PY[@]}"

rule statutory-numbers-in-registry \
    "a period of more than one day is a statutory (or policy) number: register it in portal/statutes.py with its legal source and compute dates with portal.workdays / the Rule; ±1 day (the day before/after, half-open window ends) is fine" \
    '\btimedelta\(\s*(weeks\s*=|days\s*=\s*-?\s*([2-9]|[1-9]\d+)\b|-?([2-9]|[1-9]\d+)\s*[,)])|\b(add_working_days|period_end)\([^()]*,\s*-?([2-9]|[1-9]\d+)\s*\)' \
    "${PERIOD_CODE[@]}"

rule no-playwright-install \
    "the browser tests drive Debian's /usr/bin/chromium; never download a Playwright browser build in scripts or CI" \
    '^(?!\s*#).*playwright[\x22\x27\s,]+install' \
    "${CI_FILES[@]}"

rule templates-safe-only-on-escaped-html \
    "|safe only on *_html values that were escaped when written (e.g. Comment.text_html); anything a person typed goes through autoescape" \
    '(?<!_html)\|\s*safe(seq)?\b|\{%\s*autoescape\s+off\b' \
    "${TEMPLATES[@]}"

rule no-shared-notes-at-runtime \
    "nothing in the project may read the ../shared notes at run or test time: copy the facts into the project" \
    '(\.\./|/work/)shared\b' \
    "${NON_DOCS[@]}"

rule tests-no-clock-patching \
    "tests pass now=/today= to services and selectors instead of patching the clock" \
    '\b(freeze_time|freezegun|time_machine)\b|patch(\.object)?\([^)]*\b(timezone|datetime)\b' \
    "${TEST_PY[@]}"

rule schedules-in-one-place \
    "django-q2 schedules live in portal/schedules.py and are written by manage.py setup_schedules (update_or_create by name), never at import time" \
    '\bSchedule\.objects\.(create|get_or_create|bulk_create)\(|\bdjango_q\.tasks\s+import\b.*\bschedule\b|(?<![\w.])schedule\(' \
    "${NOT_SETUP_SCHEDULES[@]}"

rule exports-in-one-place \
    "CSV and XLSX files are written only by portal/exports.py (csv_response, xlsx_response), which neutralizes formulas (=, +, -, @) in every cell" \
    'csv\.(writer|DictWriter)\(|\bWorkbook\(' \
    $(files '\.py$' "$NOT_TESTS|^portal/exports\.py$|^scripts/")

rule private-files-through-views \
    "uploaded files are private: nothing serves /media/, so a template links to an access-checked view that answers with portal.files.serve (FileResponse or X-Accel-Redirect), never to a FieldFile's .url; views hand files out only through portal.files.serve" \
    '\.(photo|file|evidence|proof|attachment|image)\.url\b|FileResponse\([^)]*\.(photo|file|evidence|proof)\.open' \
    "${TEMPLATES[@]}" "${APP_PY[@]}"

rule forms-are-hardened \
    "every form derives from portal.forms.PortalForm / PortalModelForm (text cleaned of control characters, lengths, dates and numbers bounded, Vietnamese messages)" \
    'class\s+\w+\((forms\.)?(Form|ModelForm)\)' \
    $(files '\.py$' "$NOT_TESTS|^portal/forms\.py$")

report weasyprint-url-fetcher \
    "every WeasyPrint HTML(...) passes url_fetcher= (ours serves static files only; the default fetches any URL a document names)" \
    "$(calls HTML "${PY[@]}" | grep -vP '\burl_fetcher\s*=' || true)"

report checkconstraint-condition \
    "CheckConstraint takes condition= (check= is gone in Django 6)" \
    "$(calls CheckConstraint "${PY[@]}" | grep -P '\bcheck\s*=' || true)"

if ((failed)); then
    printf '\nHouse rules failed (see above). A justified exception: "# house-rules: allow <rule> - <reason>" on the line.\n' >&2
    exit 1
fi
echo "house rules: all passed"
