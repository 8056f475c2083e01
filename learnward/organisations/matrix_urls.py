urlpatterns: list = [
    # path("", matrix_views.matrix, name="matrix"), ... (matrix_views.py)
]
