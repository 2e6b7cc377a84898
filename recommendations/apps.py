from django.apps import AppConfig
from django.db.models.signals import post_save


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self) -> None:
        # The search lexicon follows the searched texts: see receivers.py. Meetings' documents
        # and agenda items are searched too; this app sits above meetings, so it may listen.
        # Imported here, as Django advises for receivers, once every app's models are loaded.
        from .receivers import record_search_words
        from .services import SEARCHED_FIELDS

        for model in SEARCHED_FIELDS:
            post_save.connect(
                record_search_words,
                sender=model,
                dispatch_uid=f"search-words-{model._meta.label_lower}",
            )
