"""The people of the demo clinics: staff, families and children (read by ``demo_clinic``).

Ages are given in months and turned into dates of birth on the day the demo is
built, so the children keep the ages described here whenever it is rebuilt.
Addresses use the reserved ``.example`` domain: no demo email can reach anyone.
Each child's ``care`` is their clinical story, in ``data.care``.
"""

from tandem.accounts.models import Discipline, Licence, Role
from tandem.children.models import ContactMethod, Relationship, TeamRole
from tandem.demo.shapes import Carer, Clinic, Family, Kid, Person

from .care import (
    AMARA_CARE,
    ANAYA_CARE,
    AVA_CARE,
    CAMILA_CARE,
    DEV_CARE,
    ELI_CARE,
    EMMA_CARE,
    ETHAN_CARE,
    HARPER_CARE,
    ISA_CARE,
    JAYDEN_CARE,
    LIAM_CARE,
    MATEO_CARE,
    ZOE_CARE,
)

PASSWORD = "tandem-demo-2026"
# Every demo staff account shares this authenticator secret (base32, 20 bytes), so a
# newcomer adds one entry to an authenticator app, or runs ``manage.py demo_totp``.
TOTP_SECRET = "TANDEMDEMOTOTPKEYFORSTAFFSIGNIN2"

# ICD-10-CM codes with their official descriptions.
AUTISM = ("F84.0", "Autistic disorder")
MOTOR = ("F82", "Specific developmental disorder of motor function")
EXPRESSIVE = ("F80.1", "Expressive language disorder")
MIXED_LANGUAGE = ("F80.2", "Mixed receptive-expressive language disorder")
PHONOLOGICAL = ("F80.0", "Phonological disorder")
FLUENCY = ("F80.81", "Childhood onset fluency disorder")
GLOBAL_DELAY = ("F88", "Other disorders of psychological development")
ADHD_INATTENTIVE = (
    "F90.0",
    "Attention-deficit hyperactivity disorder, predominantly inattentive type",
)
ADHD_COMBINED = ("F90.2", "Attention-deficit hyperactivity disorder, combined type")
LACK_OF_DEVELOPMENT = (
    "R62.50",
    "Unspecified lack of expected normal physiological development in childhood",
)
PRETERM = ("P07.35", "Preterm newborn, gestational age 32 completed weeks")
DIPLEGIA = ("G80.1", "Spastic diplegic cerebral palsy")
DOWN_SYNDROME = ("Q90.9", "Down syndrome, unspecified")
FEEDING = ("F98.29", "Other feeding disorders of infancy and early childhood")
READING = ("F81.0", "Specific reading disorder")

LEAD, TREATING, CONSULTING = TeamRole.LEAD, TeamRole.TREATING, TeamRole.CONSULTING
MOTHER, FATHER, GRANDPARENT = Relationship.MOTHER, Relationship.FATHER, Relationship.GRANDPARENT

RIVERSIDE_STAFF = (
    Person(
        "admin", "Dana", "Whitfield", "admin@riverside.example", Role.ADMIN, title="Clinic director"
    ),
    Person(
        "ot",
        "Priya",
        "Raman",
        "ot@riverside.example",
        Role.THERAPIST,
        Discipline.OT,
        Licence.LICENSED,
        title="OTR/L",
    ),
    Person(
        "pt",
        "Marcus",
        "Bell",
        "pt@riverside.example",
        Role.THERAPIST,
        Discipline.PT,
        Licence.LICENSED,
        title="PT, DPT",
    ),
    Person(
        "slp",
        "Lucía",
        "Navarro",
        "slp@riverside.example",
        Role.THERAPIST,
        Discipline.SLP,
        Licence.LICENSED,
        title="MS, CCC-SLP, bilingual English/Spanish",
    ),
    Person(
        "bcba",
        "Jordan",
        "Avery",
        "bcba@riverside.example",
        Role.THERAPIST,
        Discipline.BEHAVIORAL,
        Licence.LICENSED,
        title="BCBA",
    ),
    Person(
        "cota",
        "Tessa",
        "Morgan",
        "cota@riverside.example",
        Role.THERAPIST,
        Discipline.OT,
        Licence.ASSISTANT,
        supervisor="ot",
        title="COTA/L",
    ),
    Person(
        "frontdesk",
        "Gabriel",
        "Ortiz",
        "frontdesk@riverside.example",
        Role.FRONT_DESK,
        title="Front desk and intake",
    ),
    Person(
        "billing",
        "Hannah",
        "Cho",
        "billing@riverside.example",
        Role.BILLING,
        title="Billing specialist",
    ),
    Person(
        "teacher",
        "Karen",
        "Liu",
        "karen.liu@lincoln-elementary.example",
        Role.COLLABORATOR,
        title="Kindergarten teacher, Lincoln Elementary",
    ),
)

# --- Clinical stories ------------------------------------------------------------
# Each goal's session data follow its ``course``; the progress rules then flag Emma's

RIVERSIDE_FAMILIES = (
    Family(
        carers=(
            Carer(
                "María",
                "Hernández",
                "maria.hernandez@mail.example",
                MOTHER,
                language="es",
                contact=ContactMethod.TEXT,
                contact_notes="Text in Spanish, after 5 pm",
            ),
        ),
        kids=(
            Kid(
                "Mateo",
                "Hernández",
                38,
                "M",
                (AUTISM,),
                interests="Trains (especially Thomas), water play, spinning wheels on toy cars",
                strengths="Knows all his colours in two languages; strong visual memory; "
                "affectionate with his baby sister",
                challenges="Uses about 20 single words; long meltdowns at transitions; "
                "limited joint attention",
                sensory_notes="Covers ears at hand dryers; seeks deep pressure and swinging",
                family_context="Spanish is the home language; mother and grandmother at home. "
                "Prefers visits in Spanish with written summaries.",
                school="Riverside Head Start",
                languages="Spanish, English",
                plan="iep",
                plan_days_ago=60,
                team=(("slp", LEAD), ("bcba", TREATING), ("ot", CONSULTING)),
                care=MATEO_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer(
                "Anjali",
                "Patel",
                "anjali.patel@mail.example",
                MOTHER,
                contact_notes="Works from home on Mondays and Fridays",
            ),
            Carer(
                "Rohan",
                "Patel",
                "rohan.patel@mail.example",
                FATHER,
                primary=False,
                contact=ContactMethod.APP,
            ),
        ),
        kids=(
            Kid(
                "Anaya",
                "Patel",
                79,
                "F",
                (MOTOR, ADHD_INATTENTIVE),
                interests="Drawing unicorns, gymnastics videos, baking with her dad",
                strengths="Big vocabulary, loves stories, very kind to younger children",
                challenges="Handwriting is slow and tiring; trouble with buttons and "
                "zippers; loses track of multi-step instructions",
                sensory_notes="Dislikes tags and seams; chews her sleeves when concentrating",
                family_context="Grandparents live nearby and help with school pick-ups. "
                "Family speaks English and Gujarati at home.",
                school="Lincoln Elementary, 1st grade",
                languages="English, Gujarati",
                plan="iep",
                plan_days_ago=200,
                team=(("ot", LEAD), ("cota", TREATING)),
                care=ANAYA_CARE,
            ),
            Kid(
                "Dev",
                "Patel",
                27,
                "M",
                (EXPRESSIVE,),
                interests="Dinosaurs, bubbles, pushing his toy lawn mower",
                strengths="Understands far more than he says; great imitator of actions",
                challenges="About 15 words; frustration and hitting when not understood",
                sensory_notes="No concerns reported",
                family_context="Younger brother of Anaya; same home and routines.",
                school="Little Acorns daycare (3 days a week)",
                languages="English, Gujarati",
                plan="ifsp",
                plan_days_ago=45,
                team=(("slp", LEAD),),
                care=DEV_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer(
                "Jessica",
                "Thompson",
                "jessica.thompson@mail.example",
                MOTHER,
                household="Mom's home, Sunday to Wednesday",
                contact_notes="Prefers email; shares custody",
            ),
            Carer(
                "Mark",
                "Thompson",
                "mark.thompson@mail.example",
                FATHER,
                primary=False,
                household="Dad's home, Thursday to Saturday",
                contact=ContactMethod.PHONE,
                contact_notes="Call after 6 pm",
            ),
        ),
        kids=(
            Kid(
                "Ava",
                "Thompson",
                98,
                "F",
                (ADHD_INATTENTIVE, MOTOR),
                interests="Horses, Minecraft, making friendship bracelets",
                strengths="Creative, funny, great at building with Lego",
                challenges="Homework battles; organising her backpack between two homes; "
                "avoids PE because of coordination",
                sensory_notes="Seeks movement; fidgets help her sit for reading",
                family_context="Parents separated last year and share custody. Each home gets "
                "the same home-exercise sheet; both parents want updates.",
                school="Lincoln Elementary, 3rd grade",
                plan="iep",
                plan_days_ago=300,
                team=(("ot", LEAD), ("bcba", CONSULTING)),
                care=AVA_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer(
                "Siobhan",
                "O'Connor",
                "siobhan.oconnor@mail.example",
                MOTHER,
                contact=ContactMethod.TEXT,
            ),
        ),
        kids=(
            Kid(
                "Liam",
                "O'Connor",
                20,
                "M",
                (LACK_OF_DEVELOPMENT, PRETERM),
                interests="Music with a beat, his big sister's voice, peekaboo",
                strengths="Social smile, strong interest in faces, good sleeper",
                challenges="Not yet walking independently; low tone in his trunk",
                sensory_notes="Dislikes grass and sand under his feet",
                family_context="Born at 32 weeks; first child; father works night shifts.",
                school="At home with mother",
                plan="ifsp",
                plan_days_ago=30,
                gestational_age_weeks=32,
                team=(("pt", LEAD), ("ot", CONSULTING)),
                care=LIAM_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer(
                "José",
                "Rodríguez",
                "jose.rodriguez@mail.example",
                FATHER,
                language="es",
                contact=ContactMethod.PHONE,
                contact_notes="Llamar por la tarde",
            ),
            Carer(
                "Ana",
                "Rodríguez",
                "ana.rodriguez@mail.example",
                MOTHER,
                language="es",
                primary=False,
                contact=ContactMethod.TEXT,
            ),
        ),
        kids=(
            Kid(
                "Isabella",
                "Rodríguez",
                62,
                "F",
                (DIPLEGIA,),
                preferred_name="Isa",
                interests="Music and dancing, Frozen songs, water play at the pool",
                strengths="Determined, loves to sing, strong upper body",
                challenges="Walks with a posterior walker and AFOs; tires on long distances; "
                "difficulty with stairs",
                sensory_notes="Enjoys warm water; startles at sudden loud noises",
                family_context="Spanish-speaking family; older brother translates at times, "
                "but the family prefers a Spanish-speaking therapist or interpreter.",
                school="Roosevelt Elementary, pre-K",
                languages="Spanish, English",
                plan="iep",
                plan_days_ago=150,
                team=(("pt", LEAD), ("ot", TREATING), ("cota", TREATING)),
                care=ISA_CARE,
            ),
        ),
    ),
    Family(
        carers=(Carer("Tanya", "Brooks", "tanya.brooks@mail.example", MOTHER),),
        kids=(
            Kid(
                "Elijah",
                "Brooks",
                88,
                "M",
                (MIXED_LANGUAGE,),
                preferred_name="Eli",
                interests="Dinosaurs (knows every name), space, drawing comics",
                strengths="Excellent visual memory; patient; good at puzzles",
                challenges="Follows only short directions; word-finding pauses; "
                "struggles to retell a story",
                sensory_notes="No concerns reported",
                family_context="Single mother, two jobs; sessions after school only. "
                "Home practice works best at bedtime.",
                school="Lincoln Elementary, 2nd grade",
                plan="iep",
                plan_days_ago=90,
                team=(("slp", LEAD),),
                care=ELI_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer("Grace", "Kim", "grace.kim@mail.example", MOTHER),
            Carer(
                "Soon-ja",
                "Kim",
                "soonja.kim@mail.example",
                GRANDPARENT,
                primary=False,
                legal_authority=False,
                contact=ContactMethod.PHONE,
                contact_notes="Brings Zoe to Tuesday sessions",
            ),
        ),
        kids=(
            Kid(
                "Zoe",
                "Kim",
                49,
                "F",
                (DOWN_SYNDROME, FEEDING),
                interests="Music, Elmo, bubbles, stacking cups",
                strengths="Very social, loves to imitate, uses 30 signs",
                challenges="Low muscle tone; picky eating with limited textures; "
                "speech hard for strangers to understand",
                sensory_notes="Gags on mixed textures; loves vibration toys",
                family_context="Grandmother cares for Zoe during the day; the family speaks "
                "English and Korean.",
                school="Sunshine Preschool",
                languages="English, Korean",
                plan="iep",
                plan_days_ago=20,
                team=(("slp", LEAD), ("pt", TREATING), ("ot", TREATING), ("cota", TREATING)),
                care=ZOE_CARE,
            ),
        ),
    ),
    Family(
        carers=(Carer("Denise", "Carter", "denise.carter@mail.example", MOTHER),),
        kids=(
            Kid(
                "Jayden",
                "Carter",
                124,
                "M",
                (AUTISM, ADHD_COMBINED),
                interests="Trains and subway maps, dinosaurs, Lego Technic",
                strengths="Reads two grades ahead; remembers every train timetable; honest",
                challenges="Rigid about routines; difficulty joining group games; "
                "meltdowns when plans change",
                sensory_notes="Noise-cancelling headphones in the cafeteria; "
                "dislikes bright lights",
                family_context="Lives with mother and aunt; father visits on weekends.",
                school="Jefferson Middle School, 5th grade",
                plan="iep",
                plan_days_ago=330,
                team=(("bcba", LEAD), ("slp", CONSULTING)),
                care=JAYDEN_CARE,
            ),
        ),
    ),
    Family(
        carers=(Carer("Heidi", "Schultz", "heidi.schultz@mail.example", MOTHER),),
        kids=(
            Kid(
                "Emma",
                "Schultz",
                140,
                "F",
                (MOTOR, READING),
                interests="Horses, drawing manga, baking",
                strengths="Persistent, artistic, a good friend",
                challenges="Handwriting legibility; typing speed; tying shoelaces; "
                "anxious about being slower than classmates",
                sensory_notes="No concerns reported",
                family_context="Wants to choose her own goals; prefers sessions without her "
                "mother in the room.",
                school="Jefferson Middle School, 6th grade",
                plan="iep",
                plan_days_ago=240,
                team=(("ot", LEAD), ("cota", TREATING)),
                care=EMMA_CARE,
            ),
        ),
    ),
    Family(
        carers=(
            Carer(
                "Rosa",
                "Flores",
                "rosa.flores@mail.example",
                GRANDPARENT,
                language="es",
                contact=ContactMethod.PHONE,
                contact_notes="Solo español; prefiere llamadas por la mañana",
            ),
        ),
        kids=(
            Kid(
                "Camila",
                "Flores",
                30,
                "F",
                (GLOBAL_DELAY,),
                interests="Water play, songs with hand motions, baby dolls",
                strengths="Warm and curious; plays peekaboo and takes turns rolling a ball",
                challenges="Few words in either language; not yet using a spoon; "
                "walks but falls often",
                sensory_notes="Mouths most objects; calms with rocking",
                family_context="Lives with her grandmother, who is her legal guardian and "
                "speaks Spanish only.",
                school="At home with grandmother",
                languages="Spanish",
                plan="ifsp",
                plan_days_ago=75,
                team=(("ot", LEAD), ("slp", TREATING), ("pt", CONSULTING)),
                care=CAMILA_CARE,
            ),
        ),
    ),
    Family(
        carers=(Carer("Kevin", "Miller", "kevin.miller@mail.example", FATHER),),
        kids=(
            Kid(
                "Ethan",
                "Miller",
                74,
                "M",
                (ADHD_COMBINED, GLOBAL_DELAY),
                interests="Superheroes, trampolines, monster trucks",
                strengths="Energetic, brave, great at obstacle courses",
                challenges="Sitting for circle time; crashing into peers; bedtime routine",
                sensory_notes="Seeks crashing and spinning; under-responsive to pain",
                family_context="Father is the main caregiver; mother deployed with the military.",
                school="Lincoln Elementary, kindergarten (Ms. Liu's class)",
                plan="iep",
                plan_days_ago=180,
                team=(("ot", LEAD), ("bcba", CONSULTING)),
                care=ETHAN_CARE,
            ),
        ),
    ),
    Family(
        carers=(Carer("Ngozi", "Johnson", "ngozi.johnson@mail.example", MOTHER),),
        kids=(
            Kid(
                "Amara",
                "Johnson",
                109,
                "F",
                (FLUENCY, PHONOLOGICAL),
                interests="Soccer, space and planets, singing in church choir",
                strengths="Confident reader; leader on her soccer team",
                challenges="Stuttering on first words when rushed; avoids speaking in class",
                sensory_notes="No concerns reported",
                family_context="Nigerian-American family; Amara wants to present at the "
                "science fair this spring.",
                school="Lincoln Elementary, 4th grade",
                plan="iep",
                plan_days_ago=110,
                team=(("slp", LEAD),),
                care=AMARA_CARE,
            ),
        ),
    ),
)

LAKESIDE_STAFF = (
    Person(
        "admin", "Olivia", "Grant", "admin@lakeside.example", Role.ADMIN, title="Practice owner"
    ),
    Person(
        "slp",
        "Samuel",
        "Okoro",
        "slp@lakeside.example",
        Role.THERAPIST,
        Discipline.SLP,
        Licence.LICENSED,
        title="MA, CCC-SLP",
    ),
)

LAKESIDE_FAMILIES = (
    Family(
        carers=(Carer("Megan", "Quinn", "megan.quinn@mail.example", MOTHER),),
        kids=(
            Kid(
                "Harper",
                "Quinn",
                46,
                "F",
                (PHONOLOGICAL,),
                interests="Bluey, painting, feeding the ducks",
                strengths="Chatty and sociable; loves books",
                challenges="Hard to understand for people outside the family",
                sensory_notes="No concerns reported",
                family_context="Both parents work full time; sessions at daycare.",
                school="Lakeside Early Learning Center",
                plan="iep",
                plan_days_ago=40,
                team=(("slp", LEAD),),
                care=HARPER_CARE,
            ),
        ),
    ),
)

CLINICS = (
    Clinic("Riverside Pediatric Therapy", "America/Chicago", RIVERSIDE_STAFF, RIVERSIDE_FAMILIES),
    Clinic("Lakeside Kids Therapy", "America/Chicago", LAKESIDE_STAFF, LAKESIDE_FAMILIES),
)
