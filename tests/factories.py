import factory
from allauth.account.models import EmailAddress

from lidzdaliba.accounts.models import User

PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.lv")
    full_name = factory.Faker("name", locale="lv_LV")
    password = factory.django.Password(PASSWORD)
    # English, so that mails and background work quote the English msgids in assertions.
    preferred_language = "en"

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
