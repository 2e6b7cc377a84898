from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from recommendations.models import Recommendation
from recommendations.similarity import recommendation_neighbours_rebuild


class Command(BaseCommand):
    help = (
        "Compute every recommendation's similar recommendations afresh (TF-IDF cosine) and "
        "replace the stored ones. The Celery task keeps them current as texts change; run "
        "this after writes that send no signal (bulk_create, raw SQL), after a bulk load at "
        "scale, or now and then to re-base the scores."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        started = time.perf_counter()
        rows = recommendation_neighbours_rebuild()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{rows} similar recommendations stored for "
                    f"{Recommendation.objects.count()} recommendations in "
                    f"{time.perf_counter() - started:.1f} s."
                )
            )
