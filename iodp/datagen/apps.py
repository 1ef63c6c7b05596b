from django.apps import AppConfig


class DatagenConfig(AppConfig):
    name = "iodp.datagen"
    verbose_name = "Generated data (benchmarks)"
