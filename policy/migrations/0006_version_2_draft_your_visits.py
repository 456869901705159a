"""The version 2 draft describes "Dina besök": seeing and erasing one's own visits (issue 27).

A database migrated before the seed had the paragraph gets it after the paragraph on "Mina
uppgifter", if version 2 is still a draft and staff have not removed that paragraph; a fresh
database already has it from the seed (migration 0003). The texts are frozen here, as the seed's.
"""

from django.db import migrations

from policy.rendering import render_markdown

ANCHORS = {
    "sv": "skriver du till info@centiro.se.",
    "en": "write to info@centiro.se.",
}
PARAGRAPHS = {
    "sv": (
        "Dina sidbesök kan du se och radera själv, utan konto. Har du godkänt statistikkakor "
        "visar sidan ”Dina besök”, som du når från ”Inställningar för kakor”, varje sidvisning vi "
        "har sparat under din webbläsares besökar-id, med allt vi sparade om den, och du kan "
        "ladda ner dem som JSON. Knappen ”Radera mina besök” raderar dem alla, också de som ännu "
        "inte har förts in i databasen, och webbläsaren får ett nytt id som inte hänger ihop med "
        "det gamla. När du återkallar ditt samtycke kan du radera dem i samma steg. Statistiken "
        "per dag finns kvar, men den innehåller bara antal och inga id."
    ),
    "en": (
        "You can see and erase your page visits yourself, without an account. If you have "
        "accepted statistics cookies, the “Your visits” page, reached from “Cookie settings”, "
        "shows every page view we have stored under your browser's visitor id, with everything "
        "we stored about it, and you can download them as JSON. The “Erase my visits” button "
        "erases them all, including those not yet in our database, and your browser gets a new "
        "id with no link to the old one. When you withdraw your consent, you can erase them in "
        "the same step. The daily statistics stay, but they hold only counts and no ids."
    ),
}


def describe_your_visits(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    draft = PolicyVersion.objects.filter(number=2, status="draft").first()
    if draft is None:
        return
    changed = []
    for language, anchor in ANCHORS.items():
        body = getattr(draft, f"body_{language}")
        paragraph = PARAGRAPHS[language]
        if paragraph in body or anchor not in body:
            continue
        body = body.replace(anchor, f"{anchor}\n\n{paragraph}", 1)
        setattr(draft, f"body_{language}", body)
        setattr(draft, f"body_{language}_html", render_markdown(body))
        changed += [f"body_{language}", f"body_{language}_html"]
    if changed:
        draft.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_field_labels")]

    operations = [migrations.RunPython(describe_your_visits, migrations.RunPython.noop)]
