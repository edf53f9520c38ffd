"""Processed packages, their files, the candidates they name and the versions of each
candidate's form."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model.models import Candidate, Package, person_key
from pipeline.model.serialize import from_json, to_json
from pipeline.store.connection import Database, row_id


@dataclass
class StoredPackage:
    db_id: int
    run_id: int
    package: Package


class PackageTable(Database):
    def save_package(self, message_sha256: str, package: Package, run_id: int) -> int:
        """A processed package, its files and its form versions, in one transaction."""
        with self.transaction():
            package_db_id = self._insert_package(message_sha256, package, run_id)
            for file in package.files:
                self.db.execute(
                    "INSERT INTO files (package_id, name, path, sha256, size, kind)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (package_db_id, file.name, file.path, file.sha256, file.size, file.kind))
            for candidate in package.candidates:
                self._add_form_version(package_db_id, package, candidate)
            self.db.execute("UPDATE packages SET data = ? WHERE id = ?",
                            (to_json(package), package_db_id))
        return package_db_id

    def _insert_package(self, message_sha256: str, package: Package, run_id: int) -> int:
        cursor = self.db.execute(
            "INSERT INTO packages (message_sha256, message_id, sender, subject, received_at,"
            " recommender, run_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, '{}')",
            (message_sha256, package.message_id, package.sender, package.subject,
             package.received_at, package.recommender, run_id))
        return row_id(cursor)

    def _candidate_id(self, candidate: Candidate) -> int:
        key, unit = person_key(candidate), candidate.recommender or ""
        self.db.execute("INSERT OR IGNORE INTO candidates (person_key, recommender, name, id_number)"
                        " VALUES (?, ?, ?, ?)", (key, unit, candidate.name, candidate.id_number))
        row = self.db.execute("SELECT id FROM candidates WHERE person_key = ? AND recommender = ?",
                              (key, unit)).fetchone()
        return int(row["id"])

    def _add_form_version(self, package_db_id: int, package: Package, candidate: Candidate) -> None:
        """A newer form for a known candidate supersedes the older (RESUBMISSION)."""
        candidate_id = self._candidate_id(candidate)
        current = self.db.execute(
            "SELECT id, file_name, file_sha256 FROM form_versions"
            " WHERE candidate_id = ? AND superseded_by IS NULL", (candidate_id,)).fetchone()
        if current is not None and current["file_sha256"] == candidate.form_file.sha256:
            return  # the same form sent again: no new version
        cursor = self.db.execute(
            "INSERT INTO form_versions (candidate_id, package_id, file_name, file_sha256,"
            " received_at) VALUES (?, ?, ?, ?, ?)",
            (candidate_id, package_db_id, candidate.form_file.name, candidate.form_file.sha256,
             package.received_at))
        if current is None:
            return
        # history only: which form is current, and RESUBMISSION on the package that brought
        # the newer one, follow arrival (pipeline.register.consolidate)
        self.db.execute("UPDATE form_versions SET superseded_by = ? WHERE id = ?",
                        (cursor.lastrowid, current["id"]))

    def superseded_forms(self) -> set[tuple[int, str]]:
        """(package row id, form file SHA-256) of every form a newer version replaced."""
        rows = self.db.execute("SELECT package_id, file_sha256 FROM form_versions"
                               " WHERE superseded_by IS NOT NULL").fetchall()
        return {(int(r["package_id"]), r["file_sha256"]) for r in rows}

    def candidate_ids(self) -> dict[tuple[str, str], int]:
        """Each stored candidate's row id by (person key, recommender): the stable id the
        review workspace names a candidate by."""
        rows = self.db.execute("SELECT id, person_key, recommender FROM candidates").fetchall()
        return {(r["person_key"], r["recommender"]): int(r["id"]) for r in rows}

    def packages(self) -> list[StoredPackage]:
        rows = self.db.execute("SELECT id, run_id, data FROM packages ORDER BY id").fetchall()
        return [StoredPackage(int(r["id"]), int(r["run_id"]), from_json(Package, r["data"]))
                for r in rows]
