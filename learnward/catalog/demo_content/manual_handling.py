"""Demo course: Manual handling, certificated by a (fictional) awarding body."""

from __future__ import annotations

DEMO_AWARDING_BODY = {
    "name": "Northern Vocational Awards (demo)",
    "purpose": "It registers every learner on its regulated programmes, checks their identity "
    "when a certificate is claimed, and reports equality and diversity figures to its "
    "regulator in anonymised form.",
    "website": "https://awards.example.org",
}


MANUAL_HANDLING = {
    "slug": "manual-handling",
    "title": "Manual handling",
    "summary": "Assess and reduce the risks of lifting, carrying, pushing and pulling at work, "
    "and use a safe technique when a load has to be moved by hand.",
    "description": (
        "Manual handling injuries are among the most common causes of absence from work. "
        "This certificated course follows the Manual Handling Operations Regulations 1992 "
        "and the TILE approach to risk assessment, and finishes with a practical lifting "
        "technique you can apply the same day.\n\n"
        "The course is certificated by an awarding body, which needs a few details to "
        "register you; you will see exactly what it asks for, and why, when you enrol."
    ),
    "cpd_hours": "1.5",
    "course_type": "vocational",
    "pass_mark": 75,
    "certificate_validity_months": 36,
    "max_attempts": 2,
    "entry_requirements": "You should be able to take part in light physical activity. Tell "
    "us if you need any adjustment to the practical guidance.",
    "awarding_body": True,
    "registration": {
        "date_of_birth": "required",
        "home_postcode": "required",
        "gender": "optional",
        "ethnicity": "optional",
        "disability": "optional",
    },
    "modules": [
        {
            "title": "The law and the risks",
            "lessons": [
                {
                    "title": "Why manual handling matters",
                    "minutes": 10,
                    "body": """\
**Manual handling** means moving or supporting a load by hand or by bodily force: lifting,
lowering, pushing, pulling, carrying and holding. The load might be a box of stock, a piece
of equipment, or a person.

Poor manual handling causes musculoskeletal disorders, especially injuries to the lower back,
shoulders and upper limbs. These injuries often build up over time from repeated strain
rather than one dramatic lift, and they can affect people for years.

The **Manual Handling Operations Regulations 1992** set a clear order of duties for
employers. First, **avoid** hazardous manual handling where reasonably practicable, for
example by redesigning the task or using mechanical aids. Second, **assess** the risk of any
hazardous handling that cannot be avoided. Third, **reduce** that risk to the lowest level
reasonably practicable.

Employees have duties too: follow the safe systems of work your employer puts in place, use
equipment provided for handling properly, and tell your employer about anything that makes a
task harder for you, such as an injury or pregnancy.
""",
                },
                {
                    "title": "Assessing risk with TILE",
                    "minutes": 15,
                    "body": """\
A simple way to assess a handling task is **TILE**: Task, Individual, Load and Environment.

**Task.** Does it involve holding the load away from the body, twisting, stooping, reaching
upwards, long carrying distances, or frequent repetition without rest? Each of these
multiplies the strain on the spine.

**Individual.** Does the task need unusual strength or height? Is anyone at particular risk,
for example someone who is pregnant, recovering from injury, or new to the work? Do people
have the information and training they need?

**Load.** Is it heavy, bulky, unstable, hard to grip, or with contents that shift? Is it
sharp, hot or otherwise hazardous to hold? Is its weight marked?

**Environment.** Are there space constraints that prevent good posture, uneven or slippery
floors, steps or slopes, poor lighting, or extremes of temperature?

Write down what you find and what you will change. Often the best controls are simple:
splitting a load into smaller ones, storing heavy items between knee and shoulder height,
providing a trolley, or clearing a route.
""",
                },
            ],
        },
        {
            "title": "Safe handling in practice",
            "lessons": [
                {
                    "title": "A safe lifting technique",
                    "minutes": 10,
                    "body": """\
When a load has to be lifted by hand, plan the lift and use a good technique.

1. **Think before you lift.** Where is the load going? Is the route clear? Do you need help
   or an aid? Test the weight by tipping one corner.
2. **Get close and stable.** Place your feet apart, one slightly forward, so you are
   balanced. Get as close to the load as you can.
3. **Bend the knees, keep the back's natural curve.** A slight bend of the back, hips and
   knees at the start is better than fully flexing the back or squatting deeply.
4. **Get a secure grip** and keep the heaviest side of the load next to your body.
5. **Lift smoothly**, keeping control, and **do not twist**: turn by moving your feet.
6. **Put it down, then adjust.** Lower with the same care, then slide the load into
   position if it needs fine adjustment.

There is no "safe" weight that applies to everyone. The HSE's guideline figures (for example
around 25 kg for men and 16 kg for women lifting close to the body at waist height) are a
filter for when a fuller assessment is needed, not a limit that makes lighter loads safe.
""",
                },
                {
                    "title": "Pushing, pulling and team handling",
                    "minutes": 10,
                    "body": """\
Trolleys and other aids reduce lifting but bring their own risks. When **pushing or
pulling**, keep the load at a height between waist and shoulder, keep your back straight and
use your body weight rather than your arms alone. Pushing is usually better than pulling,
because you can see where you are going and use your legs more effectively.

Check wheels and brakes before you start, keep floors clear, and take extra care on slopes
and over thresholds. If a trolley needs a lot of force to start moving, report it: it may be
overloaded or poorly maintained.

**Team handling** can make a task possible that one person could not do safely, but a team
of two can handle only about two thirds of the sum of their individual capabilities. Agree
one person to lead, plan the route together, and use clear commands such as "ready, steady,
lift". Team members should be of similar height and ability where possible.

If you feel pain or discomfort during or after handling, stop and report it. Early reporting
means the task can be changed before a minor strain becomes a lasting injury.
""",
                },
            ],
        },
    ],
    "assessment": {
        "title": "Manual handling: final assessment",
        "instructions": "Six questions. You need 75% to pass and have two attempts of 20 "
        "minutes each.",
        "time_limit_minutes": 20,
        "questions": [
            {
                "kind": "single",
                "text": "Under the Manual Handling Operations Regulations, what must an "
                "employer do first?",
                "explanation": "The order is avoid, then assess, then reduce.",
                "choices": [
                    ("Avoid hazardous manual handling where reasonably practicable", True),
                    ("Train every employee in lifting technique", False),
                    ("Set a maximum weight for all loads", False),
                ],
            },
            {
                "kind": "multiple",
                "text": "What do the letters of TILE stand for? Choose all that apply.",
                "explanation": "Task, Individual, Load, Environment.",
                "choices": [
                    ("Task", True),
                    ("Individual", True),
                    ("Load", True),
                    ("Environment", True),
                    ("Time", False),
                ],
            },
            {
                "kind": "true_false",
                "text": "A load below the HSE guideline weight is always safe to lift.",
                "explanation": "The guideline figures are a filter for when a fuller assessment "
                "is needed, not a safe limit.",
                "choices": [("True", False), ("False", True)],
            },
            {
                "kind": "single",
                "text": "How should you change direction while carrying a load?",
                "explanation": "Turn by moving your feet; twisting the trunk while loaded "
                "greatly increases the strain on the spine.",
                "choices": [
                    ("Move your feet to turn", True),
                    ("Twist at the waist", False),
                    ("Lean sideways", False),
                ],
            },
            {
                "kind": "single",
                "text": "Two people handle a load together. Compared with the sum of what each "
                "could handle alone, what can the team handle?",
                "explanation": "About two thirds of the sum, because of coordination and "
                "posture limits.",
                "choices": [
                    ("About two thirds of the sum", True),
                    ("Exactly the sum", False),
                    ("Twice the sum", False),
                ],
            },
            {
                "kind": "true_false",
                "text": "Pushing a load is generally better than pulling it.",
                "explanation": "Pushing lets you see ahead and use your legs and body weight.",
                "choices": [("True", True), ("False", False)],
            },
        ],
    },
}
