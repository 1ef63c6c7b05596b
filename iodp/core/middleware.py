from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose English with the switch (the language cookie).

    The browser's Accept-Language is ignored on purpose: the platform's users work in Chinese whatever their
    browser's settings, and English is an explicit choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
