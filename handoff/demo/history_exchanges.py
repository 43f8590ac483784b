"""The middle of the demo history's team conversations: what a customer writes back after
an answer, each with the team's reply to it, in five languages. Pure data, no Django.

A conversation takes them in an order of its own and, long ones, only comes back to one
after using them all: a thread of twenty messages does not say the same thing seven times.
Placeholders as in ``handoff.demo.history_content`` (``{agent}``: the team member's first
name).
"""

from __future__ import annotations

# (the customer's follow-up, the team's answer to it)
EXCHANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": (
        ("Merci {agent}. C'est mieux, mais il manque encore les chiffres de la semaine\n"
         "dernière. Une idée ?",
         "Merci pour les détails. J'ai relancé la synchronisation de votre compte ;\n"
         "les chiffres manquants devraient apparaître d'ici une heure."),
        ("D'accord. Et pour les comptes de nos clients, faut-il\n"
         "refaire la manipulation pour chacun ?",
         "Bonne question : non, le réglage s'applique à tous les comptes du tableau de bord."),
        ("J'ai essayé, voici ce que j'obtiens :\n"
         "le tableau reste vide après l'actualisation.",
         "Merci pour le retour. J'ai corrigé ce qui bloquait de notre côté ;\n"
         "pouvez-vous réessayer et me dire ce que vous voyez ?"),
        ("Ma collègue peut-elle avoir accès à la même chose ?",
         "Bien sûr : invitez-la depuis Réglages > Équipe, elle recevra un e-mail tout de suite."),
        ("Très bien. Y a-t-il quelque chose à faire de notre côté ?",
         "Rien du tout, tout se fait chez nous. Je garde un œil dessus cette semaine."),
        ("Désolé, j'étais en déplacement. Où en est-on ?",
         "Aucun souci ! C'est en cours : je vous écris dès que c'est terminé."),
    ),
    "en": (
        ("Thanks {agent}. That's better, but last week's numbers are still missing. Any idea?",
         "Thanks for the details. I've re-run the sync on your account; the missing numbers\n"
         "should appear within the hour."),
        ("OK. Do we need to do the same for each of our clients' accounts?",
         "Good question: no, the setting applies to every account on the dashboard."),
        ("I tried that; the table stays empty after a refresh.",
         "Thanks for trying. I've fixed what was blocking on our side;\n"
         "could you try again and tell me what you see?"),
        ("Can my colleague get access to this too?",
         "Of course: invite them from Settings > Team, they'll get an email straight away."),
        ("Great. Is there anything we need to do on our side?",
         "Nothing at all, it's all done on our side. I'll keep an eye on it this week."),
        ("Sorry, I was travelling. Where are we on this?",
         "No problem! It's in hand: I'll write as soon as it's done."),
    ),
    "de": (
        ("Danke, {agent}. Es fehlen aber noch die Zahlen der letzten Woche.",
         "Danke für die Details. Ich habe die Synchronisierung neu gestartet;\n"
         "die fehlenden Zahlen sollten innerhalb einer Stunde erscheinen."),
        ("Gut. Müssen wir das für jedes Kundenkonto einzeln machen?",
         "Gute Frage: nein, die Einstellung gilt für alle Konten im Dashboard."),
        ("Ich habe es versucht, aber die Tabelle bleibt nach dem Aktualisieren leer.",
         "Danke fürs Ausprobieren. Ich habe das Problem bei uns behoben;\n"
         "können Sie es noch einmal versuchen?"),
        ("Kann meine Kollegin auch darauf zugreifen?",
         "Natürlich: laden Sie sie unter Einstellungen > Team ein,\n"
         "sie bekommt sofort eine E-Mail."),
        ("Prima. Müssen wir auf unserer Seite noch etwas tun?",
         "Nein, das erledigen wir. Ich behalte es diese Woche im Blick."),
    ),
    "es": (
        ("Gracias, {agent}. Aún faltan los datos de la semana pasada.",
         "Gracias por los detalles. He relanzado la sincronización de tu cuenta;\n"
         "los datos que faltan deberían aparecer en una hora."),
        ("Vale. ¿Hay que hacer lo mismo con cada cuenta de nuestros clientes?",
         "Buena pregunta: no, el ajuste se aplica a todas las cuentas del panel."),
        ("Lo he probado, pero la tabla sigue vacía después de actualizar.",
         "Gracias por probarlo. He corregido lo que fallaba de nuestro lado;\n"
         "¿puedes intentarlo otra vez?"),
        ("¿Puede mi compañera tener acceso también?",
         "Claro: invítala desde Ajustes > Equipo y recibirá un correo al momento."),
        ("Perfecto. ¿Tenemos que hacer algo nosotros?",
         "Nada, lo hacemos todo nosotros. Lo vigilo esta semana."),
    ),
    "pt": (
        ("Obrigado, {agent}. Ainda faltam os dados da semana passada.",
         "Obrigado pelos detalhes. Reiniciei a sincronização da sua conta;\n"
         "os dados em falta devem aparecer dentro de uma hora."),
        ("Certo. É preciso fazer o mesmo em cada conta dos nossos clientes?",
         "Boa pergunta: não, a definição aplica-se a todas as contas do painel."),
        ("Experimentei, mas a tabela continua vazia depois de atualizar.",
         "Obrigado por experimentar. Corrigi o que estava a bloquear do nosso lado;\n"
         "pode tentar de novo?"),
        ("A minha colega também pode ter acesso?",
         "Claro: convide-a em Definições > Equipa e ela recebe um e-mail logo a seguir."),
        ("Ótimo. Temos de fazer alguma coisa do nosso lado?",
         "Nada, tratamos de tudo. Vou acompanhar esta semana."),
    ),
}  # fmt: skip
