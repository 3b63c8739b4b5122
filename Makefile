# Two entry points a newcomer needs (see README): `make demo` and `make test`.
CARGO ?= cargo
SCENARIO ?= scenarios/santa-cruz
ITINERA = $(CARGO) run --release --quiet --

.PHONY: demo test deps lint unit bench scenario

OUT ?= out/santa-cruz

## demo: plan the Santa Cruz scenario, publish it, check it, compare it with the status quo, book its patients
# `plan` exits 3 when its time limit ends above the requested gap: the plan
# is written all the same, so the demo goes on to check it.
demo: deps
	$(ITINERA) validate $(SCENARIO)
	$(ITINERA) conflicts $(SCENARIO) | tail -n 12
	$(ITINERA) plan $(SCENARIO) -o $(OUT) || [ $$? -eq 3 ]
	$(ITINERA) check $(SCENARIO) $(OUT)/plan.json
	$(ITINERA) evaluate $(SCENARIO) --as-plan $(OUT)/status-quo/plan.json > /dev/null
	$(ITINERA) compare status-quo=$(OUT)/status-quo/plan.json plan=$(OUT)/plan.json \
		--scenario $(SCENARIO) --html $(OUT)/compare.html --csv $(OUT)/compare.csv
	rm -f $(OUT)/turnos.db $(OUT)/turnos.db-wal $(OUT)/turnos.db-shm
	$(ITINERA) book $(SCENARIO) $(OUT)/plan.json --db $(OUT)/turnos.db --at 2027-02-22T09:00
	$(ITINERA) contact --db $(OUT)/turnos.db --at 2027-02-22T10:00 -o $(OUT)/mensajes
	$(ITINERA) respond --db $(OUT)/turnos.db $(SCENARIO)/responses.csv --at 2027-02-23T18:00
	$(ITINERA) request --db $(OUT)/turnos.db $(SCENARIO)/requests.csv --at 2027-02-23T18:30
	$(ITINERA) ledger stats --db $(OUT)/turnos.db
	$(ITINERA) ledger verify --db $(OUT)/turnos.db

## test: formatting, lints, every test, and the docs build
test: deps lint unit

deps:
	@bash scripts/install-deps.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

bench: deps
	$(CARGO) bench

## scenario: regenerate scenarios/santa-cruz from data/santa-cruz
scenario:
	python3 scripts/gen_santa_cruz.py
