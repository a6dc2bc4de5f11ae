"""What the authorization matrix needs to know about the timeline's route: nothing beyond
the defaults. The team and the child's guardians read it; collaborators, the front desk and
billing find no page (404), nor does anyone who does not see the child."""
