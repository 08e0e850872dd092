#!/usr/bin/env bash
# Checks the Prometheus configuration and alert rules, runs the rules' unit tests (alerts.test.yml)
# with promtool, and checks the Alertmanager configuration with amtool; CI calls it (.ci/run).
# They come with the Debian packages prometheus and prometheus-alertmanager, installed here when
# missing and apt-get can run.
set -euo pipefail
cd "$(dirname "$0")"

need() { # command, Debian package
    command -v "$1" > /dev/null && return
    if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
        echo "$1 is missing: installing the Debian package $2"
        apt-get install -y -q "$2" > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q "$2" > /dev/null; }
    else
        echo "$1 is missing: install the package $2 (Debian/Ubuntu) or Prometheus' release archive" >&2
        exit 1
    fi
}
need promtool prometheus
need amtool prometheus-alertmanager

promtool check rules alerts.yml
promtool test rules alerts.test.yml
# prometheus.yml names the rule file relative to itself and alertmanager by its compose host name
promtool check config --syntax-only prometheus.yml
amtool check-config ../alertmanager/alertmanager.yml
