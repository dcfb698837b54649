"""Word lists for generated catalogues: written for Maillon, ordered roughly from most to least
frequent (the generator draws them with Zipf-like weights, so the head words are common and the
tail words are rare)."""


def _w(text: str) -> list[str]:
    return text.split()


NOUNS_M = _w("""monde temps jour voyage secret coeur chemin jardin pays roman livre retour silence
amour destin regard souvenir village château hiver été printemps automne soir matin dernier
royaume combat fleuve océan désert rêve mystère pouvoir trésor chant bal nom enfant frère père
loup renard ours chat chien oiseau cheval dragon géant prince roi chevalier pirate sorcier
fantôme vent feu ciel soleil nuage orage printemps miroir masque carnet journal cahier voyageur
marin berger meunier boulanger facteur détective inspecteur commissaire tueur témoin complot
crime procès exil empire siècle front pont port phare moulin verger potager bois marais lac
sentier col glacier volcan rivage archipel quartier faubourg marché festin repas goût parfum
""")
NOUNS_F = _w("""histoire vie guerre nuit femme mer maison terre ville fille mère route lumière
mémoire famille forêt montagne île rivière saison fête chanson lettre promesse vérité
révolution république cuisine recette musique danse peinture photographie enquête disparition
vengeance trahison légende aventure odyssée chronique saga épopée quête princesse reine
sorcière fée ogresse souris chouette baleine tortue abeille fourmi grenouille girafe étoile
lune planète tempête neige pluie aube porte fenêtre chambre cabane école classe bibliothèque
gare frontière colline vallée plage falaise campagne province capitale banlieue usine mine
ferme prairie source fontaine chapelle cathédrale abbaye citadelle tour muraille horloge
""")
ADJECTIVES = _w("""petit grand dernier premier nouveau noir blanc rouge bleu vert secret perdu
oublié éternel sauvage étrange merveilleux invisible lointain ancien jeune vieux seul
froid brûlant doux amer heureux triste fou sage beau curieux immense minuscule mystérieux
silencieux enchanté interdit magique gourmand joyeux timide courageux terrible fidèle
""")
PLACES = _w("""Paris Lyon Marseille Toulouse Bordeaux Nantes Lille Strasbourg Rennes Brest
Bretagne Normandie Provence Alsace Auvergne Bourgogne Gascogne Corse Savoie Vendée Poitou
Limousin Quercy Périgord Berry Touraine Anjou Champagne Lorraine Picardie Gâtine Morvan
Cévennes Pyrénées Alpes Jura Vosges Camargue Sologne Beauce Afrique Amérique Japon Chine
Inde Égypte Grèce Italie Espagne Portugal Irlande Écosse Islande Canada Québec Mexique
Brésil Argentine Sénégal Maroc Algérie Tunisie Madagascar Vietnam Cambodge Russie Venise
Rome Athènes Londres Berlin Vienne Prague Lisbonne Istanbul Jérusalem Tokyo Kyoto Pékin
""")
TOPICS = """la cuisine française|la photographie|le jardinage|la peinture|la musique classique|
l'astronomie|la philosophie|la psychologie|l'économie|la politique|la Révolution française|
la Première Guerre mondiale|la Seconde Guerre mondiale|l'Antiquité|le Moyen Âge|la Renaissance|
l'art roman|l'architecture|le cinéma|la bande dessinée|les mathématiques|la physique|
la chimie|la biologie|l'écologie|le climat|les océans|les volcans|les dinosaures|les insectes|
les oiseaux|les chats|les chevaux|la randonnée|le vélo|le football|le rugby|la danse|
le théâtre|la poésie|l'écriture|la lecture|l'éducation|la petite enfance|l'adolescence|
la vieillesse|la santé|la nutrition|le sommeil|le yoga|la méditation|le bricolage|
la couture|le tricot|la menuiserie|l'informatique|la programmation|internet|les réseaux sociaux|
l'intelligence artificielle|la généalogie|l'histoire locale|les châteaux|les églises romanes|
le patrimoine rural|les métiers d'autrefois|la pêche|la chasse|les champignons|les plantes
médicinales|le vin|le fromage|la pâtisserie|le pain|les épices""".replace("\n", "").split("|")
FIRST_NAMES = _w("""Marie Jean Pierre Michel Anne Sophie Claire Louise Paul Jacques
Nathalie Isabelle
Catherine François Philippe Alain Nicolas Julien Camille Léa Emma Chloé Manon Hugo Lucas Louis
Gabriel Jules Arthur Adam Raphaël Inès Jade Alice Lina Rose Anna Zoé Léon Maël Noé Sacha
Émile Agathe Céleste Margot Timothée Bérénice Gaspard Apolline Victor Juliette Mathilde
Thérèse Odile Yvonne Gérard Bernard Daniel Patrick Christophe Sandrine Valérie Annie Joëlle
""")
SURNAMES = _w("""Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon
Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre
Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin
Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine
Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger
Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun
Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert Giraud
Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis
Olivier Rodriguez Da Silva Hubert Louis Charles Guillot Rivière Le Gall Guillaume Adam Rey
Moulin Gonzalez Berger Lecomte Menard Fleury Deschamps Carpentier Julien Benoit Paris Maillard
Marchal Aubry Vasseur Le Roux Renault Jacquet Collet Prevost Poirier Charpentier Royer Huet
Baron Dupuy Pons Paul Laine Carre Breton Remy Schneider Perrot Guyot Barre Marty Cousin
""")
# Syllables for made-up proper names: the long tail of rare author names and places.
SYLLABLES = _w("""ker bri van mal ou zet tru gan lor dif mor ven sal ric bel qui tan lou gar
nac pol sen vil ard mon tel rin bau dre cha fon gui jol lan mir nol pra rou sou tav ver
""")
PUBLISHERS = """Gallimard|Flammarion|Actes Sud|Albin Michel|Grasset|Le Seuil|Fayard|Hachette|
Robert Laffont|Calmann-Lévy|Stock|Plon|Belfond|Julliard|Denoël|Mercure de France|Minuit|
P.O.L|L'Olivier|Rivages|Zulma|Liana Levi|Philippe Picquier|Sabine Wespieser|Verdier|Métailié|
Points|Folio|Le Livre de poche|J'ai lu|Pocket|10-18|Babel|L'École des loisirs|Bayard jeunesse|
Milan|Nathan|Casterman|Dargaud|Dupuis|Delcourt|Glénat|Soleil|Futuropolis|Rue de Sèvres|
Gallimard jeunesse|Flammarion jeunesse|Rageot|Syros|Thierry Magnier|Hélium|Larousse|
Le Robert|Dunod|Eyrolles|La Découverte|PUF|Armand Colin|Odile Jacob|Ouest-France|
Éditions du Rouergue|Éditions Sud Ouest|Geste éditions|La Geste|Marabout|Hachette pratique|
Mango|Solar|First|Michelin|Le Routard|Lonely Planet|Arte éditions|Universal|Warner|
Naïve|Harmonia Mundi|Deutsche Grammophon|Asmodee|Gigamic""".replace("\n", "").split("|")
SUBJECTS = """Roman français|Roman policier|Roman historique|Science-fiction|Fantasy|
Bande dessinée|Manga|Album jeunesse|Conte|Poésie française|Théâtre français|Biographie|
Histoire -- France|Histoire -- 20e siècle|Guerre mondiale (1939-1945)|Guerre mondiale
(1914-1918)|Cuisine française|Pâtisserie|Jardinage|Bricolage|Santé|Psychologie|
Développement personnel|Philosophie|Religion|Économie|Politique|Sociologie|Écologie|
Environnement|Animaux|Nature|Sciences|Astronomie|Mathématiques|Informatique|Art|Peinture|
Photographie|Architecture|Musique|Cinéma|Danse|Sport|Randonnée|Voyage|Guide touristique|
Géographie|Patrimoine|Histoire locale|Généalogie|Langue française|Apprentissage de la
lecture|Documentaire jeunesse|Premières lectures|Adolescence|Famille|Amitié|Amour|Humour|
Aventure|Mer|Montagne|Agriculture|Métiers|Artisanat|Mode|Couture|Loisirs créatifs|Jeux|
Film d'animation|Film documentaire|Comédie dramatique|Thriller|Musique classique|Jazz|
Chanson française|Rock|Musique du monde""".replace("\n", " ").split("|")
SERIES = """Les enquêtes du commissaire|Les aventures de|Mes premières découvertes|
Que sais-je ?|Découvertes|La Pléiade|Folio junior|Bibliothèque rose|Bibliothèque verte|
Chair de poule|Les Cahiers du cinéma|Guides pratiques|Carnets de voyage|Histoire de France|
Les grands classiques|Le Petit Nicolas|Max et Lili|Tchoupi|Les P'tites Poules|Mortelle Adèle|
Astérix|Tintin|Blake et Mortimer|Les Schtroumpfs|Lucky Luke|Thorgal|Largo Winch""".replace(
    "\n", ""
).split("|")
SUMMARY_OPENINGS = [
    "Dans {place}, {name} découvre {thing}.",
    "Un récit sur {topic}, entre souvenirs et réflexions.",
    "{name} part à la recherche de {thing} et croise le chemin de {name2}.",
    "Un ouvrage pratique pour s'initier à {topic}.",
    "Une enquête qui mène le lecteur de {place} à {place2}.",
    "L'histoire d'une famille de {place} sur trois générations.",
    "Un album tendre pour les plus petits, autour de {thing}.",
    "Un guide illustré consacré à {topic}, avec de nombreux exemples.",
]
LANGUAGES = [
    ("fre", 86),
    ("eng", 6),
    ("spa", 2),
    ("ger", 2),
    ("ita", 1),
    ("por", 1),
    ("ara", 1),
    ("bre", 1),
]
