from django.core.checks import Warning, register  # noqa: A004


@register()
def fonts_installed(app_configs, **kwargs):
    from portal.documents.rendering import font_faces

    if len(font_faces()) == 4:
        return []
    return [
        Warning(
            "Không tìm thấy phông Liberation Serif 2 hoặc TeX Gyre Termes cho văn bản PDF.",
            hint="apt-get install fonts-liberation2 fonts-texgyre (fonts-liberation 1.07 thiếu chữ tiếng Việt).",
            id="documents.W001",
        )
    ]
