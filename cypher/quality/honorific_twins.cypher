// Artists whose name is another artist's name behind a title ('Sir Eduardo Paolozzi' beside
// 'Eduardo Paolozzi'). $titles: the titles, e.g. ['Sir', 'Dame'].
UNWIND $titles AS title
MATCH (a:Artist)
WHERE a.name STARTS WITH (title + ' ')
WITH a, substring(a.name, size(title) + 1) AS plain
MATCH (b:Artist)
WHERE b.name = plain AND b.id <> a.id
RETURN count(DISTINCT a) AS n
