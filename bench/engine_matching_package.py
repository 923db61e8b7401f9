"""The PyPI ``matching`` package on an engine input file: the short script that
bench/engine_vs_matching.py times as a whole process against the engine's CLI.

    .venv/bin/python bench/engine_matching_package.py INPUT.json  →  {"T1": "P3", "T2": null, …}

Its constructor deep-copies the linked player objects recursively, so the script raises the
recursion limit and runs in a thread with a large stack. The package takes only mutually
acceptable pairs and fails on empty lists and capacity 0, so those are filtered out first
(such trainees are unmatched anyway).
"""

import json
import sys
import threading

from matching.games import HospitalResident


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    capacity = {p["id"]: p["capacity"] for p in data["positions"] if p["capacity"] > 0}
    listed = {p["id"]: set(p["ranking"]) for p in data["positions"]}
    residents = {
        t["id"]: [p for p in t["ranking"] if p in capacity and t["id"] in listed[p]]
        for t in data["trainees"]
    }
    residents = {t: r for t, r in residents.items() if r}
    hospitals = {
        p["id"]: [t for t in p["ranking"] if t in residents and p["id"] in residents[t]]
        for p in data["positions"]
        if p["id"] in capacity
    }
    hospitals = {p: r for p, r in hospitals.items() if r}
    residents = {t: [p for p in r if p in hospitals] for t, r in residents.items()}
    residents = {t: r for t, r in residents.items() if r}
    assignment = dict.fromkeys(t["id"] for t in data["trainees"])
    if residents:
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {p: capacity[p] for p in hospitals}
        )
        for hospital, matched in game.solve(optimal="resident").items():
            for resident in matched:
                assignment[resident.name] = hospital.name
    json.dump(assignment, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    sys.setrecursionlimit(10**6)
    threading.stack_size(1 << 29)
    worker = threading.Thread(target=main, args=(sys.argv[1],))
    worker.start()
    worker.join()
