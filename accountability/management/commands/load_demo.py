from django.core.management.base import BaseCommand

from accountability.demo.story import load_demo_story


class Command(BaseCommand):
    help = "Record the demo story (the 2016 Brussels bombings and the resignation offers that followed). Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        story = load_demo_story()
        self.stdout.write(self.style.SUCCESS(f"Demo story loaded: {story.incident.name}, source #{story.article.pk}."))
