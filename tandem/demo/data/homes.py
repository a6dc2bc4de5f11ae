"""What the demo families do between sessions (read by ``demo.family``).

Each child with a care story has a home program of one or two activities, linked to
goals by their short names in ``data.care``. Families log practice on about
``adherence`` of the planned days over the last ``LOG_WEEKS`` weeks; when ``slipping``,
practice falls away over the last three weeks and a half (Ethan's family, whose weeks got hard).
Some families also saw the skills at home, in the community or at school, wrote to the
team, answered check-ins, or let a child pick from the choice board.

Text for the families who use Tandem in Spanish is written in Spanish: Lucía writes
her own, and the clinic translates what the other therapists write for them.
"""

from tandem.demo.shapes import Answer, Home, Practice, Said, Seen
from tandem.homeprogram.models import Barrier, Independence, Setting

HOME, SCHOOL, COMMUNITY = Setting.HOME, Setting.SCHOOL, Setting.COMMUNITY
ON_OWN, SOME_HELP, LOT_OF_HELP, NOT_YET = (
    Independence.INDEPENDENT,
    Independence.SOME_HELP,
    Independence.LOT_OF_HELP,
    Independence.NOT_YET,
)


HOMES: dict[str, Home] = {
    "Mateo": Home(
        practices=(
            Practice(
                "Pedir «más ___» en la merienda",
                ("Two-word requests",),
                "Cuando Mateo quiere algo, es el mejor momento para practicar dos palabras: "
                "tiene una razón para hablar.",
                (
                    "Dele un poquito de su merienda favorita.",
                    "Espere unos 5 segundos mirándolo, con la mano abierta.",
                    "Si dice «más», diga usted «más galleta» y dele otra.",
                    "Si dice «más galleta», ¡celébrelo y dele dos!",
                ),
                5,
                5,
                "Merienda en trocitos, un plato pequeño",
            ),
            Practice(
                "Canción de saludo en la guardería",
                ("Greeting people",),
                "Saludar con una canción conocida le ayuda a saber qué viene y a decir hola "
                "sin presión.",
                (
                    "Cante la canción de saludo camino a la puerta.",
                    "Al llegar, haga una pausa antes de «hola» para que él lo diga o salude.",
                ),
                3,
                2,
            ),
        ),
        adherence=0.85,
        seen=(
            Seen(
                "Two-word requests",
                HOME,
                30,
                LOT_OF_HELP,
                "Mamá y su prima",
                "Dijo «más» y le di el modelo «más jugo».",
            ),
            Seen("Two-word requests", HOME, 9, SOME_HELP, "Mamá", "¡Dijo «más tren» solo!"),
            Seen(
                "Two-word requests",
                COMMUNITY,
                5,
                NOT_YET,
                "Mamá, en el supermercado",
                "Con tanta gente solo señaló.",
            ),
            Seen(
                "Greeting people",
                SCHOOL,
                3,
                SOME_HELP,
                "La maestra de Head Start me lo contó",
                "Saludó con la mano a la maestra al entrar.",
            ),
        ),
        thread=(
            Said(
                "family",
                12,
                "Hola Lucía, ayer Mateo dijo «más tren» cuando jugábamos. ¡Estoy muy contenta!",
                "20:10",
            ),
            Said(
                "slp",
                11,
                "¡Qué buena noticia, María! Es justo lo que buscamos: dos palabras para pedir. "
                "Siga esperando esos 5 segundos en la merienda.",
                "08:45",
            ),
            Said(
                "slp",
                1,
                "María, el martes probaremos los pictogramas de la merienda. ¿Puede traer el "
                "vaso favorito de Mateo?",
                "16:20",
            ),
        ),
        unread_by_family=True,
        checkin_due=True,
        choice="Pedir «más ___» en la merienda",
    ),
    "Anaya": Home(
        practices=(
            Practice(
                "Clothespin and putty warm-up",
                ("Tripod grasp", "Writing her first name"),
                "Two minutes of squeezing wakes up the small hand muscles, so writing "
                "afterwards is easier and does not hurt.",
                (
                    "Before homework, hide 5 beads in the putty for Anaya to find.",
                    "Then clip 10 clothespins around a paper plate with her 'pinch fingers'.",
                    "Go straight on to homework while her hand is warm.",
                ),
                5,
                3,
                "Theraputty (yellow), beads, clothespins, a paper plate",
            ),
            Practice(
                "Buttons on the dress-up vest",
                ("Buttoning her coat",),
                "Big buttons on a vest she can see are the step before her own coat.",
                (
                    "Vest on the bed, buttons facing her.",
                    "She pushes each button halfway, then pulls it through.",
                    "Count the buttons together when they are all done.",
                ),
                4,
                5,
                "The dress-up vest from clinic",
            ),
        ),
        adherence=0.9,
        seen=(
            Seen(
                "Buttoning her coat",
                HOME,
                10,
                SOME_HELP,
                "Dad, before school",
                "Did three of the four buttons; I did the top one.",
            ),
            Seen(
                "Buttoning her coat",
                COMMUNITY,
                2,
                ON_OWN,
                "Me, at her gymnastics class",
                "Did up her coat by herself after class!",
            ),
        ),
        thread=(
            Said(
                "family",
                6,
                "Hi Priya, Anaya's teacher says her writing is neater but she is slow to "
                "finish worksheets. Should we do more putty?",
                "21:05",
            ),
            Said(
                "ot",
                5,
                "Thanks for telling me, Anjali. Keep the putty at two minutes: more is not "
                "better. I will suggest a slant board to her teacher and we will time a "
                "worksheet together next week.",
                "12:30",
            ),
            Said("family", 5, "Great, thank you!", "18:40"),
            Said(
                "ot",
                0,
                "Here is the slant-board idea for school: could you show it to her teacher? "
                "We will try it together on Wednesday.",
                "09:15",
            ),
        ),
        unread_by_family=True,
        choice="Drawing unicorns",
    ),
    "Dev": Home(
        practices=(
            Practice(
                "Two choices at snack",
                ("Imitating words", "Hitting when not understood"),
                "When Dev can choose with a word or a sign, he does not need to hit to be "
                "understood.",
                (
                    "Hold up two snacks, one in each hand.",
                    "Say their names and wait five seconds.",
                    "Give the one he names or signs, and say the word again.",
                ),
                5,
                3,
            ),
        ),
    ),
    "Ava": Home(
        practices=(
            Practice(
                "Evening backpack checklist",
                ("Packing her backpack",),
                "The same checklist in both homes means Ava packs the same way wherever she "
                "sleeps.",
                (
                    "After dinner, Ava takes the checklist from the fridge.",
                    "She packs each item and ticks it.",
                    "An adult checks only the last tick.",
                ),
                5,
                10,
                "Laminated checklist (one for each home), dry-erase pen",
            ),
            Practice(
                "Five jumping jacks before dinner",
                ("Jumping jacks", "Seated table work"),
                "A little movement before sitting helps her body settle for the meal.",
                ("Count five jumping jacks out loud together.",),
                5,
                1,
            ),
        ),
        adherence=0.75,
        barriers=(Barrier.MATERIALS, Barrier.NO_TIME),
        thread=(
            Said(
                "family2",
                9,
                "Hi, the checklist at my place got lost in the move. Could you send the "
                "picture again?",
                "20:30",
            ),
            Said(
                "ot",
                8,
                "Of course, Mark. A new laminated one is at the front desk, and I have "
                "attached the list to Ava's home program so you can print it too.",
                "11:00",
            ),
        ),
    ),
    "Liam": Home(
        practices=(
            Practice(
                "Standing games at the coffee table",
                ("Walking on his own", "Standing up from the floor"),
                "Short, happy standing games build the strength and balance Liam needs to "
                "take steps.",
                (
                    "Put a favourite toy at the far end of the coffee table.",
                    "Help him stand at the table and cruise to get it.",
                    "Three short games a day are better than one long one.",
                ),
                7,
                5,
            ),
        ),
        adherence=0.9,
    ),
    "Isabella": Home(
        practices=(
            Practice(
                "Escaleras con una mano en el pasamanos",
                ("Stairs with one rail",),
                "Subir y bajar en casa, con calma, le da a Isa la práctica que necesita "
                "para las escaleras de la escuela.",
                (
                    "Isa se agarra del pasamanos con una mano.",
                    "Usted se queda un escalón más abajo, sin tomarla de la mano.",
                    "Una vez al día, por la mañana o antes de dormir (dos, si Isa tiene ganas).",
                ),
                7,
                5,
            ),
            Practice(
                "Una canción bailando de pie",
                ("Dancing at the school show",),
                "Bailar de pie con su hermano es práctica de equilibrio que a ella le encanta.",
                ("Ponga una canción de Frozen.", "Isa baila de pie, con el andador cerca."),
                5,
                4,
            ),
        ),
        adherence=0.8,
        seen=(
            Seen(
                "Dancing at the school show",
                SCHOOL,
                4,
                SOME_HELP,
                "Su maestra de pre-K",
                "Bailó dos canciones en el ensayo con la mano de la maestra.",
            ),
        ),
    ),
    "Elijah": Home(
        practices=(
            Practice(
                "Bedtime retell with story cards",
                ("Retelling a story", "Answering WH-questions"),
                "Retelling with the five cards helps Eli put events in order and answer "
                "'who', 'where' and 'what happened'.",
                (
                    "Read the bedtime story together.",
                    "Eli lays out the five cards: who, where, problem, what happened, end.",
                    "He retells the story, one card at a time.",
                ),
                5,
                10,
                "Story cards (in the blue envelope)",
            ),
        ),
        adherence=0.7,
    ),
    "Zoe": Home(
        practices=(
            Practice(
                "A meltable bite on the side teeth",
                ("Chewing solid foods", "Trying new foods"),
                "Foods that melt are safe to practise chewing, and the side teeth are where "
                "chewing happens.",
                (
                    "At each meal, place one puff on Zoe's side teeth.",
                    "Show her how you chew on the side too.",
                    "Praise the chewing, not the swallowing.",
                ),
                7,
                3,
                "Puffs or wafer sticks that melt",
            ),
        ),
        adherence=0.85,
    ),
    "Jayden": Home(
        practices=(
            Practice(
                "One planned change a day",
                ("Accepting a change of plan",),
                "Small, planned changes with the change card make the big, unplanned ones easier.",
                (
                    "Show the change card before a small change (a different route, a new cup).",
                    "Let Jayden choose the 'instead' from two options.",
                    "Praise him for going with the change.",
                ),
                7,
                2,
                "Change card",
            ),
        ),
        adherence=0.85,
    ),
    "Emma": Home(
        practices=(
            Practice(
                "Typing game",
                ("Typing speed",),
                "Typing lets Emma get her ideas down as fast as she thinks them.",
                ("Play two rounds of the typing game.", "Write down her best speed."),
                3,
                10,
                "Laptop with the typing game",
            ),
            Practice(
                "A manga caption a day on raised-line paper",
                ("Legible handwriting",),
                "Short, fun copying keeps letters within the lines without the strain of a "
                "whole page.",
                ("Emma picks a caption from her manga.", "She copies it once, slowly."),
                5,
                5,
                "Raised-line paper, her manga",
            ),
        ),
        adherence=0.7,
        barriers=(Barrier.REFUSED, Barrier.NO_TIME),
        seen=(
            Seen(
                "Legible handwriting",
                SCHOOL,
                8,
                SOME_HELP,
                "Her English teacher told me",
                "Notes are readable when she uses the raised-line paper.",
            ),
            Seen("Legible handwriting", HOME, 3, SOME_HELP, "Heidi", "Homework still messy."),
        ),
    ),
    "Camila": Home(
        practices=(
            Practice(
                "Cuchara con yogur en el desayuno",
                ("Eating with a spoon",),
                "El yogur se queda en la cuchara: es la comida más fácil para aprender a "
                "llevarla a la boca.",
                (
                    "Sirva un poco de yogur en un tazón que no se resbale.",
                    "Ayúdela a cargar la cuchara y déjela llevarla sola a la boca.",
                ),
                7,
                5,
                "Tazón con ventosa, cuchara corta",
            ),
            Practice(
                "Juego con agua o masa",
                ("Messy play",),
                "Tocar texturas en un juego tranquilo ayuda a que las manos sucias no le "
                "molesten tanto.",
                ("Dos minutos de agua o masa por la tarde.", "Si no quiere, juegue usted."),
                5,
                2,
            ),
        ),
        adherence=0.8,
        barriers=(Barrier.UNCLEAR,),
        seen=(
            Seen(
                "Eating with a spoon",
                HOME,
                6,
                SOME_HELP,
                "Abuela Rosa",
                "Comió medio yogur con la cuchara.",
            ),
        ),
        thread=(
            Said(
                "family",
                4,
                "Buenas tardes. ¿Se puede hacer la masa para jugar en casa, con harina?",
                "15:10",
            ),
            Said(
                "slp",
                3,
                "¡Sí, Rosa! Harina, sal, agua y un poco de aceite. Le dejo la receta en la "
                "biblioteca de recursos.",
                "10:05",
            ),
        ),
    ),
    "Ethan": Home(
        practices=(
            Practice(
                "Heavy work before homework",
                ("Seated table work",),
                "Pushing and carrying heavy things gives Ethan's body the input it looks "
                "for, so sitting afterwards is easier.",
                (
                    "Ten minutes before homework, Ethan carries the laundry basket or pushes "
                    "a chair full of books across the room.",
                    "Finish with ten wall push-ups.",
                    "Start homework straight away.",
                ),
                5,
                10,
                "Laundry basket, books",
            ),
            Practice(
                "A calming strategy at bedtime",
                ("Using a calming strategy",),
                "Practising when he is calm helps Ethan reach for a strategy when he is upset.",
                (
                    "At bedtime, Ethan picks one card from the calming board.",
                    "Do it together: squeeze the pillow, or five balloon breaths.",
                    "Say what it felt like: 'My body feels slower.'",
                ),
                7,
                5,
                "Calming choice board",
            ),
        ),
        adherence=0.8,
        barriers=(Barrier.NO_TIME, Barrier.REFUSED, Barrier.OTHER),
        barrier_words="Bedtime is a battle right now",
        slipping=True,
        seen=(
            Seen(
                "Using a calming strategy",
                HOME,
                35,
                SOME_HELP,
                "Dad",
                "Picked 'squeeze the pillow' after losing a game.",
            ),
            Seen(
                "Using a calming strategy",
                HOME,
                6,
                NOT_YET,
                "Dad",
                "Threw the board when it was time for bed.",
            ),
            Seen(
                "Using a calming strategy",
                SCHOOL,
                4,
                LOT_OF_HELP,
                "Me and the class aide",
                "Upset at recess; used balloon breaths with an adult beside him.",
                by="teacher",
            ),
            Seen(
                "Seated table work",
                SCHOOL,
                2,
                SOME_HELP,
                "Me, at circle time",
                "Sat for the whole story at circle time after the movement break.",
                by="teacher",
            ),
            Seen(
                "Jumping jacks",
                COMMUNITY,
                12,
                ON_OWN,
                "Dad, at the park",
                "Showed his cousins ten superhero jumping jacks!",
            ),
        ),
        thread=(
            Said(
                "family",
                8,
                "Hi Priya, it's been a rough couple of weeks. His mom's deployment got "
                "extended and bedtime is a fight. We haven't done much of the home stuff.",
                "22:15",
            ),
            Said(
                "ot",
                7,
                "Thank you for telling me, Kevin. That is a lot for both of you. Let's make "
                "it smaller: just the pillow squeeze at bedtime, no chart. We'll talk about "
                "it on Tuesday.",
                "08:20",
            ),
            Said("family", 7, "Ok. Thanks.", "12:02"),
        ),
        checkins=(
            Answer(
                8,
                "Pretty good. The heavy work before homework is helping.",
                "Mornings before school.",
                "Nothing right now.",
                4,
            ),
            Answer(
                4,
                "OK. Ethan misses his mom.",
                "Bedtime takes over an hour.",
                "Ideas for bedtime.",
                3,
            ),
            Answer(
                0,
                "Hard. Deployment extended another 4 months.",
                "Bedtime, and school calls about recess.",
                "Someone to talk to. Maybe fewer things to do at home for a while.",
                2,
            ),
        ),
        teacher_consent=True,
        choice="Trampolines",
    ),
    "Amara": Home(
        practices=(
            Practice(
                "Science-fair talk with planned pauses",
                ("Presenting at the science fair", "Easy onset"),
                "Practising the talk at home, with pauses marked, makes the real one feel "
                "familiar.",
                (
                    "Amara gives her talk to one person at home.",
                    "She pauses at each slash on her cards and starts again gently.",
                ),
                5,
                5,
                "Her talk cards with the pauses marked",
            ),
        ),
        adherence=0.9,
    ),
    "Harper": Home(
        practices=(
            Practice(
                "Five /s/ words at bath time",
                ("/s/ at the start of words",),
                "Bath time is relaxed and full of /s/ things: soap, sponge, splash.",
                (
                    "Hold up the soap and say 'ssssoap'.",
                    "Harper says it back; praise a long /s/.",
                    "Five words, then play.",
                ),
                5,
                3,
                "Soap, sponge, a boat (sail)",
            ),
        ),
        adherence=0.8,
    ),
}
