"""The demo clinics' resource libraries, what they share with which family, and their
workshops (read by ``demo.library``). Riverside's Spanish-speaking families get their
resources in Spanish.
"""

from tandem.demo.shapes import Event, Library, Share
from tandem.plans.models import Domain
from tandem.resources.models import ResourceKind

LIBRARIES: dict[str, tuple[Library, ...]] = {
    "Riverside Pediatric Therapy": (
        Library(
            "ot",
            "Heavy work at home: ideas that calm",
            ResourceKind.TEXT,
            "Everyday jobs that give a busy body the pushing and carrying it looks for.",
            (Domain.SENSORY, Domain.EMOTIONAL_REGULATION),
            body="Heavy work means using the big muscles against some weight: pushing, "
            "pulling, carrying, climbing. Many children feel calmer and sit better "
            "afterwards.\n\n"
            "Ideas for home:\n"
            "- Carry the laundry basket or the shopping bags.\n"
            "- Push a chair full of books across the room.\n"
            "- Wall push-ups: ten, counting out loud.\n"
            "- Wheelbarrow walks down the hall.\n"
            "- Help move the couch cushions to build a fort.\n\n"
            "Ten minutes before homework or a meal is usually enough. Stop if your child "
            "gets more wound up rather than calmer, and tell us.",
            min_age_months=36,
            max_age_months=144,
            shares=(
                Share("Ethan", "Heavy work before homework", "Pick two he likes best."),
                Share("Ava"),
            ),
        ),
        Library(
            "ot",
            "Backpack checklist",
            ResourceKind.HANDOUT,
            "A checklist to print for each home, with room to tick.",
            (Domain.SELF_CARE, Domain.SCHOOL_READINESS),
            body="Homework folder|Reading book|Water bottle|Lunch box|Library book (Tuesday)|"
            "Sports clothes (Thursday)",
            min_age_months=60,
            max_age_months=144,
            shares=(Share("Ava", "Evening backpack checklist", "One for each home.", days_ago=8),),
        ),
        Library(
            "ot",
            "Looking after yourself, too",
            ResourceKind.TEXT,
            "For parents and carers: small ways to get through a hard stretch.",
            (Domain.EMOTIONAL_REGULATION,),
            body="Caring for a child who needs extra help is tiring, and some weeks are "
            "harder than others. That is not a sign that you are doing it wrong.\n\n"
            "- Drop to the one home activity that matters most; the rest can wait.\n"
            "- Ask one person for one specific thing (a school pick-up, a meal).\n"
            "- Five minutes of your own each day counts.\n"
            "- If you feel low most days, talk to your doctor, or call or text 988 "
            "(Suicide & Crisis Lifeline) at any hour.\n\n"
            "Tell us how things are: we can change the plan to fit your week.",
            shares=(
                Share("Ethan", note="Thank you for being honest in the check-in.", days_ago=1),
            ),
        ),
        Library(
            "slp",
            "Ready, set… go! games for first words",
            ResourceKind.VIDEO,
            "A three-minute video: pausing in play so your child fills the gap.",
            (Domain.COMMUNICATION,),
            url="https://videos.riverside.example/ready-set-go",
            min_age_months=12,
            max_age_months=60,
            shares=(Share("Dev", "Two choices at snack"), Share("Zoe")),
        ),
        Library(
            "slp",
            "Receta: masa para jugar casera",
            ResourceKind.TEXT,
            "Masa suave para jugar, hecha en casa en cinco minutos.",
            (Domain.SENSORY, Domain.FINE_MOTOR),
            body="Ingredientes: 2 tazas de harina, 1 taza de sal, 1 taza de agua tibia, "
            "2 cucharadas de aceite y colorante si quiere.\n\n"
            "Mezcle la harina y la sal, añada el agua y el aceite poco a poco y amase "
            "hasta que no se pegue. Guárdela en una bolsa cerrada.\n\n"
            "Juegue siempre al lado de la niña o el niño: esta masa tiene mucha sal y no se "
            "debe comer. Si todavía se lleva las cosas a la boca, juegue con agua o con "
            "yogur en su lugar y pregúntenos por otras ideas.",
            min_age_months=18,
            max_age_months=96,
            language="es",
            shares=(
                Share("Camila", "Juego con agua o masa", "Como le prometí, Rosa.", days_ago=3),
            ),
        ),
        Library(
            "slp",
            "Pausas para pedir: «más ___»",
            ResourceKind.TEXT,
            "Cómo esperar cinco segundos para que su hijo pida con palabras.",
            (Domain.COMMUNICATION,),
            body="Cuando su hijo quiere algo, espere cinco segundos antes de dárselo. "
            "Mírelo con una sonrisa y la mano abierta. Si dice una palabra, repítala con "
            "una más: «más» → «más jugo». ¡No hace falta que lo repita él!",
            min_age_months=18,
            max_age_months=60,
            language="es",
            shares=(Share("Mateo", "Pedir «más ___» en la merienda"),),
        ),
    ),
    "Lakeside Kids Therapy": (
        Library(
            "slp",
            "Bath-time sound play",
            ResourceKind.TEXT,
            "Sounds to practise while splashing: /s/, /sh/ and /f/.",
            (Domain.COMMUNICATION,),
            body="Soap, sponge, sail, splash: say the word slowly with a long first sound "
            "and let your child copy it. Stop while it is still fun.",
            min_age_months=24,
            max_age_months=84,
            shares=(Share("Harper", "Five /s/ words at bath time"),),
        ),
    ),
}

EVENTS: dict[str, tuple[Event, ...]] = {
    "Riverside Pediatric Therapy": (
        Event(
            "ot",
            "Parent evening: sensory-friendly routines",
            "An hour with Priya and Jordan on mornings, bedtimes and homework for "
            "children who seek or avoid movement, touch and noise. Bring your questions; "
            "childcare in the next room.",
            16,
            "18:00",
            75,
            "Riverside clinic, group room",
            20,
            guests=(
                "kevin.miller@mail.example",
                "heidi.schultz@mail.example",
                "jessica.thompson@mail.example",
            ),
        ),
        Event(
            "slp",
            "Taller: juego y lenguaje en casa",
            "Una mañana con Lucía para aprender juegos sencillos que ayudan a hablar: "
            "canciones, pausas y turnos. En español.",
            23,
            "10:00",
            90,
            "Riverside clinic, sala de grupos",
            12,
            language="es",
            guests=("maria.hernandez@mail.example", "jose.rodriguez@mail.example"),
        ),
    ),
}
