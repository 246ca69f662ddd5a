"""Measure the claim matcher on a benchmark (CLEF CheckThat! format) in a scratch database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.linking.evaluation import evaluate_files, threshold_table
from claims.matching.metrics import read_qrels, write_trec_run


class Command(BaseCommand):
    help = (
        "Load CLAIMS into a scratch database (never the real one), rank every query with the linking code, and "
        "print MAP@1/3/5, MRR and queries per second per signal. The last line is 'MAP@5 <value>' (combined)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", required=True, type=Path, help="TSV: claim_id, text, title")
        parser.add_argument("--queries", required=True, type=Path, help="TSV: query_id, text")
        parser.add_argument("--qrels", required=True, type=Path, help="TREC qrels: query_id 0 claim_id 1")
        parser.add_argument("--run", type=Path, help="Write the combined ranking as a TREC run file (top 100).")
        parser.add_argument("--combined-only", action="store_true", help="Skip the per-signal evaluations.")
        parser.add_argument(
            "--thresholds", action="store_true", help="Print links stored, precision and recall per decision threshold."
        )

    def handle(self, *args: object, **options: object) -> None:
        paths = [options["claims"], options["queries"], options["qrels"]]
        missing = [str(path) for path in paths if not Path(str(path)).is_file()]
        if missing:
            raise CommandError(f"File not found: {', '.join(missing)}")
        evaluations = evaluate_files(
            claims_path=options["claims"],
            queries_path=options["queries"],
            qrels_path=options["qrels"],  # type: ignore[arg-type]
            signals=not options["combined_only"],
        )
        for evaluation in evaluations:
            figures = "  ".join(f"{name} {value:.4f}" for name, value in evaluation.scores.items())
            self.stdout.write(f"{evaluation.label:<16} {figures}  queries/s {evaluation.queries_per_second:.1f}")
        combined = evaluations[-1]
        if options["thresholds"]:
            self.stdout.write("threshold  links  precision  recall")
            for threshold, stored, precision, recall in threshold_table(combined, read_qrels(options["qrels"])):
                self.stdout.write(f"{threshold:>9.2f}  {stored:>5}  {precision:>9.3f}  {recall:>6.3f}")
        if options["run"]:
            write_trec_run(options["run"], combined.rankings, tag="accountability-hybrid")  # type: ignore[arg-type]
            self.stdout.write(f"run written to {options['run']}")
        self.stdout.write(f"MAP@5 {combined.scores['MAP@5']:.4f}")
