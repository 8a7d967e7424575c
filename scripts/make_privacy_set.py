"""Generate the multilingual personal-data (PII) evaluation set in tests/data/privacy/.

Writes ``dev.jsonl`` and ``test.jsonl``: synthetic, hand-templated sentences in English, French,
Italian and German, each with character-offset spans of personal data. Every name, address and
identifier is invented; identifiers that carry a checksum are computed valid with python-stdnum,
and deliberately checksum-invalid look-alikes are planted unannotated as hard negatives. The split
is by template: all sentences of one template go to the same file, so ``test`` holds sentence
structures that ``dev`` never shows. The output is deterministic (fixed seed). Usage:

    .venv/bin/python scripts/make_privacy_set.py [--out tests/data/privacy]

See tests/data/privacy/README.md for the annotation guidelines.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.de import idnr
from stdnum.es import ccc
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10
from stdnum.it import codicefiscale
from stdnum.us import ssn as us_ssn

SEED = 20250611
LANGS = ("en", "fr", "it", "de")
PER_LANG = 300
TYPES = (
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "IT_FISCAL_CODE",
    "FR_NIR",
    "DE_TAX_ID",
    "UK_NINO",
    "US_SSN",
    "PASSPORT",
    "DATE_OF_BIRTH",
)


def _l(text: str) -> list[str]:
    """Split a comma-separated literal into a list of stripped, non-empty items."""
    return [x.strip() for x in text.split(",") if x.strip()]


# ---------------------------------------------------------------------------------------------
# Names. origin -> (male first names, female first names, surnames)
# ---------------------------------------------------------------------------------------------

NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "it": (
        _l(
            "Marco, Luca, Giuseppe, Giovanni, Francesco, Alessandro, Andrea, Matteo, Lorenzo, Davide, Stefano,"
            "Paolo, Roberto, Salvatore, Antonio, Vincenzo, Fabio, Simone, Riccardo, Nicolò, Gabriele, Tommaso,"
            "Federico, Emanuele, Daniele, Pierluigi, Gianfranco, Carmine, Raffaele, Domenico, Massimiliano, Ugo,"
            "Ettore, Corrado, Gianmarco, Niccolò, Filippo, Leonardo, Gennaro, Arturo"
        ),
        _l(
            "Giulia, Francesca, Chiara, Sara, Martina, Valentina, Alessandra, Federica, Elena, Silvia, Laura,"
            "Paola, Roberta, Anna, Maria, Giovanna, Beatrice, Camilla, Ilaria, Serena, Simona, Veronica, Lucia,"
            "Rosaria, Carmela, Antonella, Daniela, Manuela, Benedetta, Ludovica, Noemi, Annalisa, Maria Grazia,"
            "Marisa, Teresa, Gaia, Assunta, Letizia"
        ),
        _l(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti,"
            "De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, Santoro, Mariani,"
            "Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile, Martinelli, Vitale, Lombardo, Serra,"
            "Coppola, De Santis, D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro, Ferri, Fabbri, Bianco, Marini,"
            "Grasso, Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini, Palumbo, Sanna, Farina, Rizzi, Monti,"
            "Cattaneo, Morelli, Amato, Silvestri, Mazza, Testa, Dell'Acqua, Di Stefano, Lo Presti, Ferraresi,"
            "Zanetti, Pagano, Cirillo, La Rosa, Esposito Amato, Quagliarella, Scognamiglio, Dall'Olio"
        ),
    ),
    "de": (
        _l(
            "Lukas, Maximilian, Jonas, Felix, Leon, Paul, Tobias, Florian, Sebastian, Jan, Tim, Niklas, Philipp,"
            "Moritz, Julian, Stefan, Thomas, Michael, Andreas, Markus, Jürgen, Klaus, Uwe, Dieter, Wolfgang,"
            "Matthias, Christoph, Jörg, Bernd, Rüdiger, Hans-Peter, Karl-Heinz, Ulrich, Dirk, Sven, Henrik, Götz,"
            "Benedikt"
        ),
        _l(
            "Anna, Lena, Laura, Julia, Sarah, Lisa, Hannah, Lea, Sophie, Katharina, Johanna, Marie, Anja, Sabine,"
            "Petra, Claudia, Susanne, Birgit, Monika, Ursula, Heike, Kerstin, Silke, Jutta, Ingrid, Franziska,"
            "Annika, Lara, Jana, Theresa, Svenja, Mareike, Anke, Gudrun, Bärbel, Anne-Kathrin, Jördis, Friederike"
        ),
        _l(
            "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch,"
            "Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann,"
            "Lange, Schmitt, Werner, Schmitz, Krause, Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann,"
            "König, Walter, Mayer, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, Schubert,"
            "Vogel, Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz, Baumann, Franke,"
            "Albrecht, Schuster, Ludwig, Böhm, Winter, von Arnim, von der Heide, Müller-Lüdenscheidt, Großmann,"
            "Oßwald, Pfeiffer, Brandstätter"
        ),
    ),
    "fr": (
        _l(
            "Jean, Pierre, Louis, Nicolas, Julien, Thomas, Antoine, Mathieu, Alexandre, Maxime, Guillaume,"
            "Sébastien, François, Laurent, Philippe, Olivier, Stéphane, Christophe, Frédéric, Éric, Jérôme,"
            "Benoît, Cédric, Hugo, Lucas, Théo, Raphaël, Gaël, Loïc, Yannick, Jean-Luc, Jean-Baptiste, Pierre-Yves,"
            "Hervé, Arnaud, Baptiste, Gérald, Aurélien"
        ),
        _l(
            "Marie, Camille, Léa, Manon, Chloé, Sarah, Julie, Laura, Émilie, Céline, Aurélie, Nathalie, Isabelle,"
            "Sophie, Sandrine, Valérie, Stéphanie, Caroline, Élodie, Audrey, Mathilde, Pauline, Clémence, Inès,"
            "Océane, Margaux, Anne-Sophie, Marie-Claire, Françoise, Hélène, Geneviève, Agnès, Brigitte, Solène,"
            "Maëlle, Gwenaëlle, Ségolène, Noémie"
        ),
        _l(
            "Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon, Michel,"
            "Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont, Lambert, Fontaine,"
            "Rousseau, Vincent, Muller, Lefèvre, Faure, André, Mercier, Blanc, Guérin, Boyer, Garnier, Chevalier,"
            "François, Legrand, Gauthier, Perrin, Robin, Clément, Morin, Henry, Roussel, Mathieu, Gautier, Masson,"
            "Marchand, Duval, Denis, Dumont, Lemaire, Noël, Dufour, Meunier, Brun, Blanchard, Giraud, Joly,"
            "Rivière, Brunet, Gaillard, Barbier, Arnaud, Le Goff, Le Gall, de Villiers, Desroches, Kervella,"
            "Saint-Martin, Lacroix-Dubreuil"
        ),
    ),
    "en": (
        _l(
            "James, John, Robert, Michael, William, David, Richard, Thomas, Charles, Christopher, Daniel, Matthew,"
            "Anthony, Mark, Andrew, Paul, Steven, Kevin, Brian, George, Edward, Ryan, Jacob, Gary, Nicholas, Eric,"
            "Jonathan, Oliver, Harry, Jack, Callum, Liam, Owen, Rhys, Declan, Hamish, Tyler, Gareth"
        ),
        _l(
            "Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, Karen, Emily, Emma,"
            "Olivia, Charlotte, Amelia, Sophie, Grace, Chloe, Hannah, Lucy, Megan, Rebecca, Rachel, Laura, Amy,"
            "Kathryn, Siobhan, Niamh, Fiona, Eilidh, Abigail, Madison, Ashley, Brittany, Heather, Zoe, Gwen, Imogen"
        ),
        _l(
            "Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Thomas, Moore,"
            "Jackson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green,"
            "Adams, Baker, Nelson, Carter, Mitchell, Roberts, Turner, Phillips, Campbell, Parker, Evans, Edwards,"
            "Collins, Stewart, Morris, Murphy, Cook, Rogers, Morgan, Cooper, Peterson, Reed, Bailey, Bell, Kelly,"
            "Howard, Ward, Cox, Richardson, Wood, Hughes, Price, Bennett, Gray, Fletcher, O'Connor, O'Brien,"
            "McAllister, MacDonald, Fitzgerald, Armstrong-Jones, Featherstonehaugh, Ashworth, Pemberton, Whitfield"
        ),
    ),
    "es": (
        _l("Alejandro, Javier, Carlos, Miguel, Pablo, Sergio, Diego, Jorge, Álvaro, Iñaki, Raúl, Andrés, José Luis"),
        _l("María, Lucía, Carmen, Paula, Elena, Marta, Ana, Sofía, Núria, Pilar, Rocío, Ainhoa, María José"),
        _l(
            "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Jiménez, Ruiz,"
            "Hernández, Díaz, Moreno, Muñoz, Álvarez, Iglesias, Navarro, Castillo, de la Cruz, Ortega, Vázquez"
        ),
    ),
    "pl": (
        _l("Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Michał, Marcin, Łukasz, Grzegorz, Wojciech, Jakub, Mateusz"),
        _l("Katarzyna, Małgorzata, Agnieszka, Magdalena, Joanna, Monika, Ewa, Zofia, Aleksandra, Dorota, Justyna"),
        _l(
            "Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak,"
            "Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Zając, Król,"
            "Wieczorek, Jabłoński, Brzęczyszczykiewicz"
        ),
    ),
    "ar": (
        _l(
            "Mohammed, Ahmed, Youssef, Omar, Khalid, Hassan, Karim, Rachid, Mustafa, Tarek, Samir, Hamza, Bilal,"
            "Nabil, Abdelkader, Walid"
        ),
        _l("Fatima, Aisha, Khadija, Amina, Leila, Nour, Yasmina, Salma, Samira, Rania, Houda, Meriem, Zineb, Imane"),
        _l(
            "El Amrani, Benali, Haddad, Mansour, Khalil, Saleh, Bouazizi, Ben Youssef, Al-Masri, El Idrissi, Chaoui,"
            "Belkacem, Abdallah, Nasser, Hamdi, Ait Ouarab, Bensaïd, Al-Rashid, Ouali, Zeroual, Trabelsi, Jaziri,"
            "Gharbi"
        ),
    ),
    "tr": (
        _l("Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Burak, Serkan, Cem, Oğuz, Kaan"),
        _l("Ayşe, Fatma, Emine, Zeynep, Elif, Merve, Büşra, Özlem, Derya, Gül, Esra, Selin, Şule"),
        _l(
            "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan, Kılıç,"
            "Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek"
        ),
    ),
    "ng": (
        _l("Chinedu, Emeka, Oluwaseun, Tunde, Babajide, Obinna, Ikenna, Musa, Chukwuemeka, Adebayo, Segun, Kelechi"),
        _l("Ngozi, Chiamaka, Adaeze, Funmilayo, Folake, Amaka, Yetunde, Blessing, Oluwakemi, Nneka, Ifeoma,Temitope"),
        _l(
            "Okafor, Adeyemi, Okonkwo, Eze, Nwosu, Balogun, Ogunleye, Obi, Chukwu, Okoro, Abubakar, Bello,"
            "Olawale, Nwachukwu, Adewale, Oyelaran, Ibekwe, Onyekachi, Akinyemi"
        ),
    ),
    "vi": (
        _l("Văn An, Minh Tuấn, Đức Anh, Quang Huy, Thanh Tùng, Hoàng Nam, Văn Hải, Quốc Bảo"),
        _l("Thị Lan, Thu Hà, Ngọc Anh, Thị Mai, Phương Linh, Thanh Hương, Bích Ngọc, Thị Hồng"),
        _l("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý"),
    ),
    "ro": (
        _l("Andrei, Mihai, Alexandru, Ionuț, Florin, Bogdan, Cristian, Adrian, Gheorghe, Vasile, Răzvan, Sorin"),
        _l("Ioana, Elena, Andreea, Maria, Mihaela, Alina, Cristina, Raluca, Diana, Oana, Roxana, Simona"),
        _l(
            "Popescu, Ionescu, Popa, Pop, Stan, Dumitru, Constantin, Stoica, Gheorghiu, Munteanu, Dinu, Matei,"
            "Ciobanu, Florea, Rusu, Moldovan, Ardeleanu"
        ),
    ),
    "nl": (
        _l("Pieter, Sander, Bram, Daan, Ruben, Thijs, Joost, Maarten, Wouter, Jeroen, Koen"),
        _l("Anouk, Femke, Sanne, Lotte, Eva, Marieke, Ilse, Fleur, Maaike, Esther, Inge, Noor"),
        _l(
            "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, de Boer,"
            "Mulder, de Groot, Bos, Vos, Hendriks, van Leeuwen, Dekker, van der Meer, van der Linden"
        ),
    ),
    "ua": (
        _l("Oleksandr, Andriy, Dmytro, Serhiy, Volodymyr, Mykola, Taras, Bohdan, Yuriy, Vitaliy"),
        _l("Olena, Iryna, Nataliya, Oksana, Tetiana, Yulia, Kateryna, Svitlana, Halyna, Anastasiia"),
        _l(
            "Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Boyko, Oliynyk, Kovalchuk, Lysenko,"
            "Marchenko, Savchenko, Rudenko, Moroz, Petrenko"
        ),
    ),
    "in": (
        _l("Rahul, Amit, Vikram, Arjun, Sanjay, Rohan, Anil, Rajesh, Suresh, Karan, Deepak"),
        _l("Priya, Ananya, Sunita, Neha, Kavita, Pooja, Divya, Lakshmi, Meera, Aditi, Shreya"),
        _l(
            "Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Mehta, Chatterjee, Banerjee, Desai, Joshi, Rao,"
            "Menon, Pillai"
        ),
    ),
}

# Which origins the people mentioned in each language's sentences come from (relative weights).
ORIGIN_WEIGHTS: dict[str, dict[str, int]] = {
    "en": {"en": 50, "in": 7, "ng": 6, "ar": 5, "pl": 4, "it": 4, "de": 3, "fr": 3, "es": 4, "tr": 2, "vi": 3},
    "fr": {"fr": 50, "ar": 14, "es": 4, "it": 5, "de": 3, "en": 3, "pl": 3, "tr": 4, "ng": 3, "vi": 4, "ro": 3},
    "it": {"it": 55, "ar": 8, "ro": 7, "es": 4, "de": 4, "fr": 4, "en": 3, "pl": 3, "ng": 4, "ua": 3, "in": 2},
    "de": {"de": 52, "tr": 12, "pl": 7, "ar": 5, "it": 4, "ro": 4, "ua": 4, "fr": 2, "en": 3, "nl": 3, "vi": 2},
}

# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

CITIES: dict[str, list[str]] = {
    "it": _l(
        "Roma, Milano, Napoli, Torino, Palermo, Genova, Bologna, Firenze, Bari, Catania, Venezia, Verona,"
        "Messina, Padova, Trieste, Brescia, Parma, Taranto, Prato, Modena, Reggio Calabria, Perugia, Livorno,"
        "Ravenna, Cagliari, Foggia, Rimini, Salerno, Ferrara, Sassari, Latina, Monza, Pescara, Bergamo, Vicenza,"
        "Trento, Bolzano, Udine, Ancona, Lecce, Viterbo, Pordenone, Cosenza, Piacenza, Novara, Civitavecchia,"
        "Gaeta, Sulmona"
    ),
    "de": _l(
        "Berlin, Hamburg, München, Köln, Frankfurt am Main, Stuttgart, Düsseldorf, Leipzig, Dortmund, Essen,"
        "Bremen, Dresden, Hannover, Nürnberg, Duisburg, Bochum, Wuppertal, Bielefeld, Bonn, Münster, Mannheim,"
        "Karlsruhe, Augsburg, Wiesbaden, Kiel, Rostock, Koblenz, Erfurt, Mainz, Freiburg im Breisgau, Lübeck,"
        "Potsdam, Regensburg, Ingolstadt, Ulm, Wilhelmshaven, Flensburg, Saarbrücken, Magdeburg, Kassel,"
        "Idar-Oberstein, Munster"
    ),
    "fr": _l(
        "Paris, Marseille, Lyon, Toulouse, Nice, Nantes, Montpellier, Strasbourg, Bordeaux, Lille, Rennes, Reims,"
        "Toulon, Saint-Étienne, Grenoble, Dijon, Angers, Nîmes, Villeurbanne, Clermont-Ferrand, Aix-en-Provence,"
        "Brest, Tours, Amiens, Limoges, Perpignan, Metz, Besançon, Orléans, Rouen, Mulhouse, Caen, Nancy,"
        "Poitiers, Cherbourg, Brive-la-Gaillarde, Bayonne, Pau, Versailles, Saint-Denis, Angoulême, Issoire"
    ),
    "en": _l(
        "London, Manchester, Birmingham, Leeds, Glasgow, Liverpool, Bristol, Sheffield, Edinburgh, Cardiff,"
        "Belfast, Newcastle upon Tyne, Nottingham, Southampton, Portsmouth, Plymouth, Aberdeen, York, Oxford,"
        "Cambridge, Norwich, Swindon, Reading, Inverness, New York, Washington, Boston, Chicago, San Diego,"
        "Houston, Seattle, Norfolk, Baltimore, Philadelphia, Atlanta, Denver, Fayetteville, Colorado Springs,"
        "Salisbury, Aldershot"
    ),
}
FOREIGN_CITIES: dict[str, list[str]] = {
    "it": _l(
        "Parigi, Londra, Monaco di Baviera, Berlino, Bruxelles, Vienna, Tunisi, Bucarest, Varsavia, Lione,"
        "Marsiglia, Ginevra, Zurigo, Istanbul, Lagos, Casablanca, Tirana, Atene"
    ),
    "de": _l(
        "Wien, Zürich, Mailand, Rom, Paris, London, Warschau, Istanbul, Brüssel, Prag, Straßburg, Amsterdam,"
        "Neapel, Bukarest, Ankara, Kiew"
    ),
    "fr": _l(
        "Rome, Milan, Munich, Londres, Bruxelles, Genève, Berlin, Madrid, Alger, Tunis, Casablanca, Dakar,"
        "Varsovie, Turin, Naples, Cologne"
    ),
    "en": _l(
        "Rome, Munich, Paris, Brussels, Naples, Cologne, Warsaw, Lagos, Istanbul, Madrid, Frankfurt, Dublin,"
        "Milan, Lyon, Bucharest, Kyiv"
    ),
}
REGIONS: dict[str, list[str]] = {
    "it": _l(
        "Lombardia, Sicilia, Toscana, Puglia, Calabria, Sardegna, Campania, Liguria, Emilia-Romagna, Umbria,"
        "Basilicata, Piemonte, Abruzzo, Friuli Venezia Giulia, Trentino, Valle d'Aosta"
    ),
    "de": _l(
        "Bayern, Baden-Württemberg, Nordrhein-Westfalen, Niedersachsen, Hessen, Sachsen, Brandenburg,"
        "Schleswig-Holstein, Mecklenburg-Vorpommern, Thüringen, Rheinland-Pfalz, Sachsen-Anhalt, Oberbayern,"
        "Ostfriesland, Südtirol"
    ),
    "fr": _l(
        "Bretagne, Normandie, Occitanie, Provence, Alsace, Lorraine, Auvergne, Bourgogne, Nouvelle-Aquitaine,"
        "Île-de-France, Corse, Picardie, Champagne, Savoie, Lozère"
    ),
    "en": _l(
        "Yorkshire, Cornwall, Kent, Devon, Scotland, Wales, Northern Ireland, Texas, Virginia, California,"
        "North Carolina, Bavaria, Lombardy, Normandy, Brittany, Lancashire"
    ),
}
COUNTRIES: dict[str, list[str]] = {
    "it": _l(
        "Germania, Francia, Spagna, Polonia, Tunisia, Marocco, Egitto, Turchia, Nigeria, Romania, Albania,"
        "Ucraina, Svizzera, Austria, Belgio, Grecia, Libia, Senegal, Vietnam, India, Croazia, Slovenia"
    ),
    "de": _l(
        "Deutschland, Italien, Frankreich, Spanien, Polen, Österreich, Rumänien, Marokko, Tunesien, Ägypten,"
        "Nigeria, Vietnam, Indien, Griechenland, Kroatien, Belgien, Albanien, Bulgarien, Ungarn, Litauen, Syrien"
    ),
    "fr": _l(
        "France, Italie, Allemagne, Espagne, Belgique, Suisse, Pologne, Tunisie, Algérie, Roumanie, Turquie,"
        "Grèce, Autriche, Croatie, Bulgarie, Irlande, Hongrie, Lituanie, Côte d'Ivoire, Guinée, Norvège"
    ),
    "en": _l(
        "Italy, Germany, France, Spain, Poland, Morocco, Tunisia, Nigeria, Turkey, Romania, Vietnam, India,"
        "Ireland, Belgium, Greece, Ukraine, Egypt, Pakistan, Canada, Australia, Cyprus"
    ),
}
# Place names of air bases / depots (the place name alone is the LOCATION span).
BASES: dict[str, list[str]] = {
    "it": _l(
        "Aviano, Ghedi, Amendola, Pratica di Mare, Sigonella, Gioia del Colle, Decimomannu, Trapani-Birgi,"
        "Cameri, Grosseto, Istrana, Pisa San Giusto"
    ),
    "de": _l("Büchel, Ramstein, Nörvenich, Wunstorf, Laage, Jagel, Neuburg, Holzdorf, Faßberg, Manching, Nordholz"),
    "fr": _l(
        "Mont-de-Marsan, Saint-Dizier, Cazaux, Solenzara, Salon-de-Provence, Nancy-Ochey, Cognac, Villacoublay,"
        "Luxeuil, Rochefort, Tours"
    ),
    "en": _l(
        "Lossiemouth, Brize Norton, Coningsby, Marham, Lakenheath, Mildenhall, Odiham, Benson, Valley, Waddington,"
        "Akrotiri"
    ),
}
STREETS: dict[str, list[str]] = {
    "it": _l(
        "Via Giuseppe Garibaldi, Via Roma, Corso Vittorio Emanuele II, Viale della Repubblica, Piazza Cavour,"
        "Via XX Settembre, Via Nazionale, Via dei Mille, Via Cesare Battisti, Largo Augusto, Via Aurelia,"
        "Via Tiburtina, Via Appia Nuova, Corso Buenos Aires, Via Toledo, Via Etnea, Via Po, Via Manzoni,"
        "Via Dante Alighieri, Viale Europa, Via San Martino, Vicolo del Pozzo"
    ),
    "de": _l(
        "Hauptstraße, Bahnhofstraße, Gartenstraße, Schillerstraße, Goethestraße, Lindenallee, Am Marktplatz,"
        "Kirchweg, Friedrichstraße, Berliner Allee, Mühlenweg, Rosenstraße, Ringstraße, Waldweg, Schlossstraße,"
        "Kastanienallee, Parkstraße, Dorfstraße, Lessingstraße, Hafenstraße, Am Lindenhof"
    ),
    "fr": _l(
        "rue de la République, rue Victor Hugo, boulevard Voltaire, rue de la Paix, avenue Jean Jaurès,"
        "rue du Général Leclerc, place de la Mairie, chemin des Vignes, allée des Tilleuls, rue Pasteur,"
        "impasse des Lilas, boulevard Gambetta, rue Nationale, avenue de la Libération, rue des Écoles,"
        "quai de la Loire, rue Saint-Honoré, rue des Acacias"
    ),
    "uk": _l(
        "High Street, Church Road, Station Road, Victoria Road, Park Lane, Mill Lane, Kings Road, Queen Street,"
        "Manor Road, The Crescent, Oak Avenue, Green Lane, London Road, Albert Street, Elm Grove, Cromwell Terrace"
    ),
    "us": _l(
        "Maple Avenue, Oak Street, Elm Street, Washington Boulevard, Cedar Lane, Lakeview Drive, Main Street,"
        "Pine Street, Jefferson Avenue, Sycamore Court, Highland Road"
    ),
}
# (city, postal-code prefix) pairs for full addresses.
POSTAL: dict[str, list[tuple[str, str]]] = {
    "it": [
        ("Roma", "001"),
        ("Milano", "201"),
        ("Napoli", "801"),
        ("Torino", "101"),
        ("Bologna", "401"),
        ("Firenze", "501"),
        ("Genova", "161"),
        ("Bari", "701"),
        ("Palermo", "901"),
        ("Padova", "351"),
        ("Verona", "371"),
        ("Trieste", "341"),
        ("Cagliari", "091"),
        ("Viterbo", "011"),
        ("Pordenone", "331"),
        ("Lecce", "731"),
    ],
    "de": [
        ("Berlin", "10"),
        ("Berlin", "12"),
        ("Hamburg", "22"),
        ("München", "80"),
        ("München", "81"),
        ("Köln", "50"),
        ("Frankfurt am Main", "60"),
        ("Stuttgart", "70"),
        ("Düsseldorf", "40"),
        ("Leipzig", "04"),
        ("Dresden", "01"),
        ("Bonn", "53"),
        ("Koblenz", "56"),
        ("Kiel", "24"),
        ("Rostock", "18"),
        ("Hannover", "30"),
    ],
    "fr": [
        ("Paris", "750"),
        ("Lyon", "6900"),
        ("Marseille", "130"),
        ("Toulouse", "310"),
        ("Bordeaux", "3300"),
        ("Lille", "5900"),
        ("Nantes", "4400"),
        ("Strasbourg", "6700"),
        ("Rennes", "3500"),
        ("Toulon", "8300"),
        ("Brest", "2920"),
        ("Nancy", "5400"),
        ("Metz", "5700"),
        ("Orléans", "4500"),
    ],
    "uk": [
        ("London", "SE1"),
        ("London", "N7"),
        ("London", "E14"),
        ("London", "W5"),
        ("Leeds", "LS6"),
        ("Manchester", "M14"),
        ("Birmingham", "B15"),
        ("Glasgow", "G12"),
        ("Bristol", "BS8"),
        ("Edinburgh", "EH9"),
        ("Cardiff", "CF24"),
        ("Plymouth", "PL4"),
        ("York", "YO10"),
        ("Oxford", "OX4"),
    ],
    "us": [
        ("Arlington, VA", "222"),
        ("Fayetteville, NC", "283"),
        ("San Diego, CA", "921"),
        ("Norfolk, VA", "235"),
        ("Houston, TX", "770"),
        ("Columbus, OH", "432"),
        ("Denver, CO", "802"),
        ("Alexandria, VA", "223"),
        ("Springfield, IL", "627"),
        ("Tampa, FL", "336"),
    ],
}

# ---------------------------------------------------------------------------------------------
# Organisations: (name, grammatical class used to build the article outside the span).
#   it: m, ms (lo), mv (l' masc), f, fv (l' fem), fp (le), n (no article)
#   fr: m, f, v (l'), p (les), n (no article)
#   de: m, f, n (neuter), 0 (no article)
#   en: t (takes "the"), 0 (no article)
# ---------------------------------------------------------------------------------------------

Org = tuple[str, str]

ORGS: dict[str, dict[str, list[Org]]] = {
    "it": {
        "ministry": [
            ("Ministero della Difesa", "m"),
            ("Ministero dell'Interno", "m"),
            ("Ministero dell'Economia e delle Finanze", "m"),
            ("Ministero degli Affari Esteri e della Cooperazione Internazionale", "m"),
            ("Ministero della Salute", "m"),
            ("Ministero della Giustizia", "m"),
            ("Segretariato Generale della Difesa", "m"),
            ("Stato Maggiore della Difesa", "ms"),
            ("Ministero delle Infrastrutture e dei Trasporti", "m"),
        ],
        "agency": [
            ("Guardia di Finanza", "f"),
            ("Arma dei Carabinieri", "fv"),
            ("Polizia di Stato", "f"),
            ("Agenzia delle Entrate", "fv"),
            ("Unità di Informazione Finanziaria", "fv"),
            ("INPS", "mv"),
            ("Agenzia delle Dogane e dei Monopoli", "fv"),
            ("Polizia di Frontiera", "f"),
            ("Direzione Investigativa Antimafia", "f"),
            ("Aeronautica Militare", "fv"),
            ("Marina Militare", "f"),
            ("Esercito Italiano", "mv"),
            ("ENAC", "mv"),
            ("Agenzia per la Cybersicurezza Nazionale", "fv"),
            ("Direzione Nazionale Antimafia", "f"),
        ],
        "police": [
            ("Polizia di Stato", "f"),
            ("Arma dei Carabinieri", "fv"),
            ("Guardia di Finanza", "f"),
            ("Polizia di Frontiera", "f"),
            ("Direzione Investigativa Antimafia", "f"),
            ("Polizia Locale di Milano", "f"),
        ],
        "tax": [
            ("Agenzia delle Entrate", "fv"),
            ("INPS", "mv"),
            ("INAIL", "mv"),
            ("Agenzia delle Entrate-Riscossione", "fv"),
            ("Direzione Provinciale di Milano dell'Agenzia delle Entrate", "f"),
        ],
        "bank": [
            ("Intesa Sanpaolo", "n"),
            ("UniCredit", "n"),
            ("Banca Monte dei Paschi di Siena", "f"),
            ("Banco BPM", "m"),
            ("BPER Banca", "n"),
            ("Banca Popolare di Sondrio", "f"),
            ("Credem", "n"),
            ("Banca Sella", "f"),
            ("BancoPosta", "m"),
            ("Banca d'Italia", "f"),
            ("Mediobanca", "n"),
            ("Banca Mediolanum", "f"),
            ("Fineco", "n"),
        ],
        "company": [
            ("Leonardo S.p.A.", "n"),
            ("Fincantieri", "n"),
            ("Iveco Defence Vehicles", "n"),
            ("Avio Aero", "n"),
            ("Elettronica S.p.A.", "n"),
            ("Telespazio", "n"),
            ("MBDA Italia", "n"),
            ("Piaggio Aerospace", "n"),
            ("Trenitalia", "n"),
            ("TIM", "n"),
            ("Eni", "n"),
            ("Beretta", "n"),
            ("Almaviva", "n"),
            ("Vitrociset", "n"),
            ("Officine Meccaniche Tirrene S.r.l.", "n"),
        ],
        "unit": [
            ("3° Reggimento Alpini", "m"),
            ("46ª Brigata Aerea", "f"),
            ("Reparto Supporto Tecnico Operativo", "m"),
            ("Comando Operativo di Vertice Interforze", "m"),
            ("1° Reparto Manutenzione Velivoli", "m"),
            ("Reggimento Logistico Taurinense", "m"),
            ("185° Reggimento Paracadutisti Folgore", "m"),
            ("Polo di Mantenimento dei Mezzi di Telecomunicazione", "m"),
            ("4° Stormo", "m"),
            ("Comando Squadra Aerea", "m"),
            ("Comando Logistico dell'Esercito", "m"),
            ("Reggimento Lagunari Serenissima", "m"),
            ("Stato Maggiore dell'Esercito", "ms"),
        ],
        "univ": [
            ("Università di Bologna", "fv"),
            ("Politecnico di Milano", "m"),
            ("Sapienza Università di Roma", "f"),
            ("Università degli Studi di Padova", "fv"),
            ("Università Bocconi", "fv"),
            ("Scuola Normale Superiore", "f"),
            ("Accademia Militare di Modena", "fv"),
            ("Politecnico di Torino", "m"),
            ("Università di Napoli Federico II", "fv"),
        ],
        "hospital": [
            ("Policlinico Gemelli", "m"),
            ("Ospedale San Raffaele", "mv"),
            ("Ospedale Niguarda", "mv"),
            ("Policlinico Militare del Celio", "m"),
            ("Azienda Ospedaliera di Padova", "fv"),
            ("Ospedale Cardarelli", "mv"),
            ("Istituto Nazionale dei Tumori", "mv"),
            ("Policlinico Umberto I", "m"),
        ],
    },
    "de": {
        "ministry": [
            ("Bundesministerium der Verteidigung", "n"),
            ("Bundesministerium des Innern", "n"),
            ("Bundesministerium der Finanzen", "n"),
            ("Bundesministerium für Gesundheit", "n"),
            ("Bundeskanzleramt", "n"),
            ("Bundesministerium der Justiz", "n"),
            ("Bundesministerium für Arbeit und Soziales", "n"),
        ],
        "agency": [
            ("Bundespolizei", "f"),
            ("Bundeskriminalamt", "n"),
            ("Zollkriminalamt", "n"),
            ("Financial Intelligence Unit", "f"),
            ("Bundesamt für Migration und Flüchtlinge", "n"),
            ("Bundeszentralamt für Steuern", "n"),
            ("BAAINBw", "n"),
            ("Bundeswehr", "f"),
            ("Landeskriminalamt Baden-Württemberg", "n"),
            ("Bundesamt für Sicherheit in der Informationstechnik", "n"),
            ("Bundesagentur für Arbeit", "f"),
            ("Luftwaffe", "f"),
            ("Bundesnachrichtendienst", "m"),
            ("Generalzolldirektion", "f"),
            ("Finanzamt München", "n"),
            ("Bundesanstalt für Finanzdienstleistungsaufsicht", "f"),
            ("Europol", "0"),
        ],
        "police": [
            ("Bundespolizei", "f"),
            ("Bundeskriminalamt", "n"),
            ("Zollkriminalamt", "n"),
            ("Landeskriminalamt Baden-Württemberg", "n"),
            ("Generalzolldirektion", "f"),
            ("Polizeipräsidium München", "n"),
        ],
        "tax": [
            ("Bundeszentralamt für Steuern", "n"),
            ("Finanzamt München", "n"),
            ("Finanzamt Köln-Mitte", "n"),
            ("Familienkasse Bayern Nord", "f"),
            ("Bundesagentur für Arbeit", "f"),
        ],
        "bank": [
            ("Commerzbank", "f"),
            ("Sparkasse KölnBonn", "f"),
            ("DZ Bank", "f"),
            ("Postbank", "f"),
            ("Berliner Volksbank", "f"),
            ("HypoVereinsbank", "f"),
            ("ING", "0"),
            ("N26", "0"),
            ("Stadtsparkasse München", "f"),
            ("Volksbank Mittelhessen", "f"),
            ("Targobank", "f"),
        ],
        "company": [
            ("Rheinmetall", "0"),
            ("Airbus Defence and Space", "0"),
            ("Krauss-Maffei Wegmann", "0"),
            ("Hensoldt", "0"),
            ("Diehl Defence", "0"),
            ("MTU Aero Engines", "0"),
            ("Siemens", "0"),
            ("Lufthansa Technik", "0"),
            ("ThyssenKrupp Marine Systems", "0"),
            ("Heckler & Koch", "0"),
            ("SAP", "0"),
            ("Bosch", "0"),
            ("Rohde & Schwarz", "0"),
            ("IABG", "f"),
            ("Hapag-Lloyd", "0"),
        ],
        "unit": [
            ("Panzerbataillon 203", "n"),
            ("Logistikbataillon 161", "n"),
            ("Gebirgsjägerbrigade 23", "f"),
            ("Kommando Spezialkräfte", "n"),
            ("Lufttransportgeschwader 62", "n"),
            ("Marinefliegergeschwader 3", "n"),
            ("Sanitätsregiment 2", "n"),
            ("Kommando Cyber- und Informationsraum", "n"),
            ("Panzergrenadierbrigade 37", "f"),
            ("Versorgungsbataillon 131", "n"),
            ("Hubschraubergeschwader 64", "n"),
        ],
        "univ": [
            ("Universität der Bundeswehr München", "f"),
            ("TU München", "f"),
            ("Ludwig-Maximilians-Universität München", "f"),
            ("Universität Heidelberg", "f"),
            ("RWTH Aachen", "f"),
            ("Humboldt-Universität zu Berlin", "f"),
            ("Karlsruher Institut für Technologie", "n"),
            ("Helmut-Schmidt-Universität", "f"),
            ("Universität Hamburg", "f"),
        ],
        "hospital": [
            ("Charité", "f"),
            ("Bundeswehrzentralkrankenhaus Koblenz", "n"),
            ("Bundeswehrkrankenhaus Ulm", "n"),
            ("Universitätsklinikum Hamburg-Eppendorf", "n"),
            ("Klinikum rechts der Isar", "n"),
            ("Universitätsklinikum Heidelberg", "n"),
            ("Klinikum Stuttgart", "n"),
        ],
    },
    "fr": {
        "ministry": [
            ("Ministère des Armées", "m"),
            ("Ministère de l'Intérieur", "m"),
            ("Ministère de l'Économie et des Finances", "m"),
            ("Ministère de l'Europe et des Affaires étrangères", "m"),
            ("Ministère de la Justice", "m"),
            ("Direction générale de l'armement", "f"),
            ("Secrétariat général pour l'administration", "m"),
            ("Ministère du Travail", "m"),
        ],
        "agency": [
            ("TRACFIN", "n"),
            ("Gendarmerie nationale", "f"),
            ("Police aux frontières", "f"),
            ("Direction générale des Finances publiques", "f"),
            ("URSSAF", "v"),
            ("Caisse nationale d'assurance maladie", "f"),
            ("Direction générale de la sécurité intérieure", "f"),
            ("Direction générale des douanes et droits indirects", "f"),
            ("Office central pour la répression de la grande délinquance financière", "v"),
            ("ANSSI", "v"),
            ("Service de santé des armées", "m"),
            ("Armée de l'air et de l'espace", "v"),
            ("France Travail", "n"),
            ("Caisse d'allocations familiales", "f"),
            ("Préfecture de police", "f"),
        ],
        "police": [
            ("Gendarmerie nationale", "f"),
            ("Police aux frontières", "f"),
            ("Préfecture de police", "f"),
            ("Direction générale des douanes et droits indirects", "f"),
            ("Office central pour la répression de la grande délinquance financière", "v"),
            ("Police nationale", "f"),
        ],
        "tax": [
            ("URSSAF", "v"),
            ("Caisse nationale d'assurance maladie", "f"),
            ("Caisse d'allocations familiales", "f"),
            ("Direction générale des Finances publiques", "f"),
            ("Assurance retraite", "v"),
            ("CPAM de la Gironde", "f"),
        ],
        "bank": [
            ("BNP Paribas", "n"),
            ("Société Générale", "f"),
            ("Crédit Agricole", "m"),
            ("Crédit Mutuel", "m"),
            ("La Banque Postale", "n"),
            ("Caisse d'Épargne", "f"),
            ("LCL", "n"),
            ("Banque de France", "f"),
            ("Boursorama", "n"),
            ("CIC", "m"),
            ("Banque Populaire", "f"),
        ],
        "company": [
            ("Thales", "n"),
            ("Safran", "n"),
            ("Dassault Aviation", "n"),
            ("Naval Group", "n"),
            ("KNDS France", "n"),
            ("MBDA", "n"),
            ("Airbus Helicopters", "n"),
            ("Sopra Steria", "n"),
            ("Capgemini", "n"),
            ("Orange", "n"),
            ("SNCF", "f"),
            ("Air France Industries", "n"),
            ("Arquus", "n"),
            ("Atos", "n"),
            ("Eiffage", "n"),
            ("Sodexo", "n"),
        ],
        "unit": [
            ("1er régiment de chasseurs parachutistes", "m"),
            ("3e régiment du matériel", "m"),
            ("13e base de soutien du matériel", "f"),
            ("Commandement des forces terrestres", "m"),
            ("2e régiment étranger de parachutistes", "m"),
            ("Service interarmées des munitions", "m"),
            ("Service industriel de l'aéronautique", "m"),
            ("Structure intégrée du maintien en condition opérationnelle des matériels terrestres", "f"),
            ("escadron de transport 3/61 Poitou", "v"),
            ("1er régiment de hussards parachutistes", "m"),
            ("Brigade des sapeurs-pompiers de Paris", "f"),
            ("4e régiment du matériel", "m"),
        ],
        "univ": [
            ("Sorbonne Université", "n"),
            ("École polytechnique", "v"),
            ("Université Paris-Saclay", "v"),
            ("Sciences Po", "n"),
            ("Université de Strasbourg", "v"),
            ("École spéciale militaire de Saint-Cyr", "v"),
            ("Université Grenoble Alpes", "v"),
            ("Institut polytechnique de Paris", "v"),
            ("Université de Bordeaux", "v"),
        ],
        "hospital": [
            ("Hôpital d'instruction des armées Bégin", "v"),
            ("Hôpital européen Georges-Pompidou", "v"),
            ("CHU de Bordeaux", "m"),
            ("Hôpital de la Pitié-Salpêtrière", "v"),
            ("Institut Curie", "v"),
            ("CHU de Lille", "m"),
            ("Hôpital d'instruction des armées Percy", "v"),
            ("Hôpital Necker", "v"),
            ("CHU de Toulouse", "m"),
        ],
    },
    "en": {
        "ministry": [
            ("Ministry of Defence", "t"),
            ("Home Office", "t"),
            ("Foreign, Commonwealth and Development Office", "t"),
            ("HM Revenue and Customs", "0"),
            ("Department of Defense", "t"),
            ("Department of Homeland Security", "t"),
            ("Cabinet Office", "t"),
            ("Department for Work and Pensions", "t"),
        ],
        "agency": [
            ("National Crime Agency", "t"),
            ("Border Force", "0"),
            ("Defence Equipment and Support", "0"),
            ("FinCEN", "0"),
            ("Metropolitan Police", "t"),
            ("Federal Bureau of Investigation", "t"),
            ("Royal Air Force", "t"),
            ("British Army", "t"),
            ("Financial Conduct Authority", "t"),
            ("Defense Logistics Agency", "t"),
            ("NATO Support and Procurement Agency", "t"),
            ("Europol", "0"),
            ("Social Security Administration", "t"),
            ("Internal Revenue Service", "t"),
        ],
        "police": [
            ("National Crime Agency", "t"),
            ("Border Force", "0"),
            ("Metropolitan Police", "t"),
            ("Federal Bureau of Investigation", "t"),
            ("Police Scotland", "0"),
            ("U.S. Customs and Border Protection", "0"),
        ],
        "tax": [
            ("HM Revenue and Customs", "0"),
            ("Department for Work and Pensions", "t"),
            ("Internal Revenue Service", "t"),
            ("Social Security Administration", "t"),
            ("HMRC", "0"),
        ],
        "bank": [
            ("Barclays", "0"),
            ("HSBC", "0"),
            ("Lloyds Bank", "0"),
            ("NatWest", "0"),
            ("Santander UK", "0"),
            ("Bank of America", "0"),
            ("JPMorgan Chase", "0"),
            ("Wells Fargo", "0"),
            ("Monzo", "0"),
            ("Standard Chartered", "0"),
            ("Nationwide Building Society", "0"),
        ],
        "company": [
            ("BAE Systems", "0"),
            ("Babcock International", "0"),
            ("Rolls-Royce", "0"),
            ("QinetiQ", "0"),
            ("Lockheed Martin", "0"),
            ("Raytheon", "0"),
            ("General Dynamics", "0"),
            ("Serco", "0"),
            ("Leonardo UK", "0"),
            ("Thales UK", "0"),
            ("Marshall Aerospace", "0"),
            ("Amazon Web Services", "0"),
            ("Network Rail", "0"),
            ("Kellogg Brown & Root", "0"),
        ],
        "unit": [
            ("1st Armoured Infantry Brigade", "t"),
            ("Royal Logistic Corps", "t"),
            ("Royal Electrical and Mechanical Engineers", "t"),
            ("16 Air Assault Brigade", "0"),
            ("82nd Airborne Division", "t"),
            ("101st Airborne Division", "t"),
            ("Joint Helicopter Command", "t"),
            ("No. 1 Squadron", "0"),
            ("3rd Battalion, The Rifles", "0"),
            ("Army Air Corps", "t"),
            ("Royal Marines", "t"),
        ],
        "univ": [
            ("University of Oxford", "t"),
            ("King's College London", "0"),
            ("Cranfield University", "0"),
            ("University of Edinburgh", "t"),
            ("Imperial College London", "0"),
            ("Georgetown University", "0"),
            ("Royal Military Academy Sandhurst", "t"),
            ("University of Manchester", "t"),
        ],
        "hospital": [
            ("St Thomas' Hospital", "0"),
            ("Queen Elizabeth Hospital Birmingham", "0"),
            ("Royal Infirmary of Edinburgh", "t"),
            ("Walter Reed National Military Medical Center", "0"),
            ("John Radcliffe Hospital", "t"),
            ("Massachusetts General Hospital", "0"),
            ("Addenbrooke's Hospital", "0"),
        ],
    },
}

ARTICLES: dict[str, dict[str, dict[str, str]]] = {
    "it": {
        "il": {"m": "il ", "ms": "lo ", "mv": "l'", "f": "la ", "fv": "l'", "fp": "le ", "n": ""},
        "di": {"m": "del ", "ms": "dello ", "mv": "dell'", "f": "della ", "fv": "dell'", "fp": "delle ", "n": "di "},
        "a": {"m": "al ", "ms": "allo ", "mv": "all'", "f": "alla ", "fv": "all'", "fp": "alle ", "n": "a "},
        "da": {"m": "dal ", "ms": "dallo ", "mv": "dall'", "f": "dalla ", "fv": "dall'", "fp": "dalle ", "n": "da "},
    },
    "fr": {
        "le": {"m": "le ", "f": "la ", "v": "l'", "p": "les ", "n": ""},
        "de": {"m": "du ", "f": "de la ", "v": "de l'", "p": "des ", "n": "de "},
        "a": {"m": "au ", "f": "à la ", "v": "à l'", "p": "aux ", "n": "à "},
    },
    "de": {
        "der": {"m": "der ", "f": "die ", "n": "das ", "0": ""},
        "acc": {"m": "den ", "f": "die ", "n": "das ", "0": ""},
        "dem": {"m": "dem ", "f": "der ", "n": "dem ", "0": ""},
        "bei": {"m": "beim ", "f": "bei der ", "n": "beim ", "0": "bei "},
        "von": {"m": "vom ", "f": "von der ", "n": "vom ", "0": "von "},
        "an": {"m": "an den ", "f": "an die ", "n": "an das ", "0": "an "},
        "am": {"m": "am ", "f": "an der ", "n": "am ", "0": "an "},
        "in": {"m": "in den ", "f": "in die ", "n": "ins ", "0": "in "},
    },
    "en": {"the": {"t": "the ", "0": ""}},
}

NATIONALITIES: dict[str, list[str]] = {
    "en": _l(
        "Moroccan, Tunisian, Italian, German, French, Nigerian, Romanian, Turkish, Polish, Vietnamese, Albanian,"
        "Ukrainian, Egyptian, Pakistani, Syrian, British, American, Spanish"
    ),
    "it": _l(
        "marocchina, tunisina, albanese, rumena, nigeriana, cinese, tedesca, francese, ucraina, egiziana, turca,"
        "polacca, senegalese, bengalese, pakistana, vietnamita, spagnola"
    ),
    "fr": _l(
        "marocaine, algérienne, tunisienne, italienne, allemande, roumaine, turque, polonaise, nigériane,"
        "vietnamienne, espagnole, portugaise, ivoirienne, malienne, ukrainienne, britannique"
    ),
    "de": _l(
        "marokkanisch, tunesisch, italienisch, französisch, polnisch, rumänisch, türkisch, syrisch, afghanisch,"
        "nigerianisch, vietnamesisch, ukrainisch, bulgarisch, albanisch, serbisch, kroatisch, spanisch"
    ),
}

# Courtesy forms and titles by sex; always outside the PERSON span.
CIVILITY: dict[str, dict[str, list[str]]] = {
    "en": {"M": ["Mr"], "F": ["Ms", "Mrs"]},
    "it": {"M": ["Sig."], "F": ["Sig.ra"]},
    "fr": {"M": ["M."], "F": ["Mme"]},
    "de": {"M": ["Herr"], "F": ["Frau"]},
}
TITLES: dict[str, dict[str, list[str]]] = {
    "en": {
        "M": _l("Mr, Dr, Major, Captain, Colonel, Sergeant, Professor, Lt Col, Wing Commander"),
        "F": _l("Ms, Mrs, Dr, Major, Captain, Colonel, Sergeant, Professor, Lt Col"),
    },
    "it": {
        "M": _l("Sig., Dott., Ing., Avv., Col., Magg., Cap., Gen., Prof., Mar."),
        "F": _l("Sig.ra, Dott.ssa, Ing., Avv., Col., Magg., Cap., Prof.ssa"),
    },
    "fr": {"M": _l("M., Dr, Me, Pr"), "F": _l("Mme, Dr, Me, Pr")},
    "de": {
        "M": _l("Herr, Dr., Herr Dr., Oberst, Major, Hauptmann, Prof."),
        "F": _l("Frau, Dr., Frau Dr., Oberst, Major, Hauptmann, Prof."),
    },
}

MAIL_DOMAINS: dict[str, list[str]] = {
    "it": _l("gmail.com, libero.it, virgilio.it, outlook.it, tiscali.it, alice.it, hotmail.it, fastwebnet.it")
    + _l("avioriparazioni-tirrene.it, logisticamarche.it, studiolegaleferri.it"),
    "de": _l("gmx.de, web.de, t-online.de, posteo.de, mailbox.org, gmail.com, outlook.de")
    + _l("wartung-nord.de, stahlbau-kessler.de, it-dienste-rhein.de"),
    "fr": _l("orange.fr, free.fr, laposte.net, wanadoo.fr, sfr.fr, gmail.com, hotmail.fr, outlook.fr")
    + _l("logistique-est.fr, aero-maintenance-sud.fr"),
    "en": _l("gmail.com, yahoo.co.uk, outlook.com, hotmail.co.uk, btinternet.com, proton.me, icloud.com, aol.com")
    + _l("northgate-logistics.co.uk, apexdefence.com, ridgeway-engineering.co.uk"),
}
FUNCTIONAL_MAILBOXES: dict[str, list[str]] = {
    "it": _l("ufficio.personale, helpdesk, segreteria, amministrazione, protocollo, viaggi, sicurezza"),
    "de": _l("personalabteilung, helpdesk, poststelle, buchhaltung, reisestelle, it-sicherheit, kontakt"),
    "fr": _l("rh, support, secretariat, comptabilite, missions, securite, contact"),
    "en": _l("hr, helpdesk, payroll, travel, security, enquiries, noreply"),
}
ORG_DOMAINS: dict[str, list[str]] = {
    "it": _l("avioriparazioni-tirrene.it, logisticamarche.it, consorzio-adriatico.it, meccanica-lariana.it"),
    "de": _l("wartung-nord.de, stahlbau-kessler.de, it-dienste-rhein.de, flugtechnik-sued.de"),
    "fr": _l("logistique-est.fr, aero-maintenance-sud.fr, transports-garonne.fr, atelier-vosges.fr"),
    "en": _l("northgate-logistics.co.uk, apexdefence.com, ridgeway-engineering.co.uk, harbourline.com"),
}

# Codice fiscale: Belfiore codes of Italian municipalities and Z-codes of foreign countries.
BELFIORE = _l(
    "H501, F205, L219, F839, G273, D969, A944, D612, A662, C351, L736, L781, B354, G224, L424, B157, G478,"
    "E506, H224, A271, E625, I452, L049, G702, E463, C933, H703, F158, B963, A390"
)
CF_FOREIGN = {
    "de": "Z112",
    "fr": "Z110",
    "en": "Z114",
    "es": "Z131",
    "pl": "Z127",
    "ar": "Z330",
    "tr": "Z243",
    "ng": "Z335",
    "vi": "Z251",
    "ro": "Z129",
    "nl": "Z126",
    "ua": "Z138",
    "in": "Z222",
}
# NIR: INSEE code of the country of birth for people born abroad (department 99).
NIR_FOREIGN = {
    "de": "109",
    "it": "127",
    "es": "134",
    "pl": "122",
    "en": "132",
    "ar": "350",
    "tr": "208",
    "ro": "114",
    "vi": "243",
    "ng": "315",
    "nl": "135",
    "ua": "155",
    "in": "223",
}
NIR_DEPTS = _l("75, 69, 13, 31, 33, 59, 67, 44, 35, 29, 2A, 2B, 06, 92, 93, 83, 57, 54, 21, 87")

MONTHS: dict[str, list[str]] = {
    "en": _l("January, February, March, April, May, June, July, August, September, October, November, December"),
    "fr": _l("janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre"),
    "it": _l(
        "gennaio, febbraio, marzo, aprile, maggio, giugno, luglio, agosto, settembre, ottobre, novembre, dicembre"
    ),
    "de": _l("Januar, Februar, März, April, Mai, Juni, Juli, August, September, Oktober, November, Dezember"),
}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def _letters(rng: random.Random, n: int, alphabet: str = UPPER) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def fold(text: str) -> str:
    """ASCII-fold a name (for e-mail local parts and codice fiscale letters)."""
    special = {"ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe"}
    text = "".join(special.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def weighted_choice(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def accidental_identifier(text: str) -> bool:
    """True if a string meant to be a negative happens to pass one of the checksummed schemes."""
    compact = re.sub(r"[\s\-./]", "", text)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits == compact and idnr.is_valid(digits):
        return True
    if 13 <= len(digits) <= 19 and digits == compact and luhn.is_valid(digits):
        return True
    if len(compact) == 15 and nir.is_valid(compact):
        return True
    return bool(len(compact) == 16 and codicefiscale.is_valid(compact.upper()))


def format_date(lang: str, d: date, style: int) -> str:
    """Write a date the way people of that language do; ``style`` picks one of the usual forms."""
    month = MONTHS[lang][d.month - 1]
    if lang == "en":
        styles = [f"{d.day} {month} {d.year}", f"{month} {d.day}, {d.year}", f"{d:%d/%m/%Y}", f"{d:%Y-%m-%d}"]
        styles.append(f"{d.day} {month[:3]} {d.year}")
    elif lang == "fr":
        day = "1er" if d.day == 1 else str(d.day)
        styles = [f"{day} {month} {d.year}", f"{d:%d/%m/%Y}", f"{d.day:02d}/{d.month:02d}/{d.year}"]
    elif lang == "it":
        styles = [f"{d.day} {month} {d.year}", f"{d:%d/%m/%Y}", f"{d:%d.%m.%Y}"]
    else:
        styles = [f"{d.day}. {month} {d.year}", f"{d:%d.%m.%Y}", f"{d:%d.%m.%Y}", f"{d:%Y-%m-%d}"]
    return styles[style % len(styles)]


# ---------------------------------------------------------------------------------------------
# Identifier generators (valid) and their checksum-broken look-alikes
# ---------------------------------------------------------------------------------------------


def _cf_letters(name: str, first_name: bool) -> str:
    letters = [c for c in fold(name).upper() if c.isalpha()]
    cons = [c for c in letters if c not in "AEIOU"]
    vows = [c for c in letters if c in "AEIOU"]
    if first_name and len(cons) >= 4:
        cons = [cons[0], cons[2], cons[3]]
    return ("".join(cons) + "".join(vows) + "XXX")[:3]


def codice_fiscale(p: Person, rng: random.Random) -> str:
    place = rng.choice(BELFIORE) if p.origin == "it" or rng.random() < 0.35 else CF_FOREIGN[p.origin]
    day = p.birth.day + (40 if p.sex == "F" else 0)
    month = "ABCDEHLMPRST"[p.birth.month - 1]
    body = f"{_cf_letters(p.last, False)}{_cf_letters(p.first, True)}{p.birth.year % 100:02d}{month}{day:02d}{place}"
    code = body + codicefiscale.calc_check_digit(body)
    codicefiscale.validate(code)
    return code


def bad_codice_fiscale(p: Person, rng: random.Random) -> str:
    good = codice_fiscale(p, rng)
    wrong = rng.choice([c for c in UPPER if c != good[-1]])
    bad = good[:-1] + wrong
    assert not codicefiscale.is_valid(bad)
    return bad


def nir_number(p: Person, rng: random.Random) -> str:
    if p.origin == "fr" or rng.random() < 0.3:
        place = rng.choice(NIR_DEPTS) + f"{rng.randint(1, 400):03d}"
    else:
        place = "99" + NIR_FOREIGN[p.origin]
    body = f"{1 if p.sex == 'M' else 2}{p.birth.year % 100:02d}{p.birth.month:02d}{place}{rng.randint(1, 999):03d}"
    code = body + nir.calc_check_digits(body)
    nir.validate(code)
    return code


def format_nir(code: str, rng: random.Random) -> str:
    return nir.format(code) if rng.random() < 0.7 else code


def bad_nir(p: Person, rng: random.Random) -> str:
    good = nir_number(p, rng)
    key = int(good[-2:])
    wrong = rng.choice([k for k in range(1, 98) if k != key])
    bad = good[:-2] + f"{wrong:02d}"
    assert not nir.is_valid(bad)
    return format_nir(bad, rng)


def tax_id(rng: random.Random) -> str:
    while True:
        chosen = rng.sample(DIGITS, 9)
        body = [*chosen, rng.choice(chosen)]
        rng.shuffle(body)
        if body[0] == "0":
            continue
        ten = "".join(body)
        code = ten + mod_11_10.calc_check_digit(ten)
        if idnr.is_valid(code):
            return code


def format_tax_id(code: str, rng: random.Random) -> str:
    return idnr.format(code) if rng.random() < 0.6 else code


def bad_tax_id(rng: random.Random) -> str:
    good = tax_id(rng)
    for wrong in rng.sample(DIGITS, 10):
        bad = good[:-1] + wrong
        if not idnr.is_valid(bad):
            return format_tax_id(bad, rng)
    raise AssertionError("unreachable")


def nino(rng: random.Random) -> str:
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    number = _digits(rng, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.6:
        return f"{prefix} {number[:2]} {number[2:4]} {number[4:]} {suffix}"
    return f"{prefix}{number}{suffix}"


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        code = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        if us_ssn.is_valid(code):
            break
    return code if rng.random() < 0.8 else code.replace("-", " ")


PASSPORT_COUNTRY = {"it": "IT", "de": "DE", "fr": "FR", "es": "ES", "pl": "PL", "tr": "TR", "ng": "NG", "ro": "RO"}


def passport(country: str, rng: random.Random) -> str:
    if country == "IT":
        return _letters(rng, 2) + _digits(rng, 7)
    if country == "DE":
        return rng.choice("CFGHJK") + _letters(rng, 8, "CFGHJKLMNPRTVWXYZ0123456789")
    if country == "FR":
        return _digits(rng, 2) + _letters(rng, 2) + _digits(rng, 5)
    if country == "GB":
        return str(rng.randint(1, 9)) + _digits(rng, 8)
    if country == "US":
        return _digits(rng, 9) if rng.random() < 0.5 else rng.choice("ACEH") + _digits(rng, 8)
    if country == "ES":
        return "PA" + _letters(rng, 1) + _digits(rng, 6)
    if country == "TR":
        return "U" + _digits(rng, 8)
    if country == "NG":
        return "A" + _digits(rng, 8)
    return _letters(rng, 2) + _digits(rng, 7)


def _iban_from_bban(country: str, bban: str) -> str:
    code = country + std_iban.calc_check_digits(country + "00" + bban) + bban
    std_iban.validate(code)
    return code


def _rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


IBAN_LENGTH = {"IT": 27, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "NL": 18, "BE": 16}


def iban_number(country: str, rng: random.Random) -> str:
    if country == "IT":
        rest = _digits(rng, 5) + _digits(rng, 5) + "0" * 4 + _digits(rng, 8)
        bban = codicefiscale.calc_check_digit(rest) + rest
    elif country == "DE":
        bban = rng.choice(["100", "200", "370", "500", "600", "700", "860"]) + _digits(rng, 5) + _digits(rng, 10)
    elif country == "FR":
        bank, branch, account = rng.choice(["30004", "30003", "20041", "10278", "11315"]), _digits(rng, 5), ""
        account = "000" + _digits(rng, 8)
        bban = bank + branch + account + _rib_key(bank, branch, account)
    elif country == "GB":
        bban = rng.choice(["NWBK", "BARC", "LOYD", "MIDL", "HBUK"]) + _digits(rng, 6) + _digits(rng, 8)
    elif country == "ES":
        bank, office, account = _digits(rng, 4), _digits(rng, 4), _digits(rng, 10)
        bban = bank + office + ccc.calc_check_digits(bank + office + "00" + account) + account
    elif country == "NL":
        bban = rng.choice(["ABNA", "RABO", "INGB", "SNSB", "TRIO"]) + _digits(rng, 10)
    else:  # BE
        first = f"{rng.randint(0, 99):03d}" + _digits(rng, 7)  # 000-099: bank codes of BNP Paribas Fortis, Belfius
        check = int(first) % 97 or 97
        bban = first + f"{check:02d}"
    code = _iban_from_bban(country, bban)
    assert len(code) == IBAN_LENGTH[country], (country, code)
    return code


def format_iban(code: str, rng: random.Random) -> str:
    return std_iban.format(code) if rng.random() < 0.6 else code


def bad_iban(country: str, rng: random.Random) -> str:
    good = iban_number(country, rng)
    while True:
        bad = good[:2] + f"{rng.randint(2, 98):02d}" + good[4:]
        if not std_iban.is_valid(bad):
            return format_iban(bad, rng)


def card_number(rng: random.Random) -> tuple[str, str]:
    brand = rng.choice(["visa", "visa", "mc", "mc", "amex"])
    if brand == "visa":
        body = "4" + _digits(rng, 14)
    elif brand == "mc":
        body = rng.choice(["51", "52", "53", "54", "55", "2221", "2305", "2720"])
        body += _digits(rng, 15 - len(body))
    else:
        body = rng.choice(["34", "37"]) + _digits(rng, 12)
    return brand, body + luhn.calc_check_digit(body)


def format_card(brand: str, number: str, rng: random.Random) -> str:
    style = rng.choice(["space", "space", "dash", "compact"])
    if brand == "amex":
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    if style == "compact":
        return number
    return (" " if style == "space" else "-").join(groups)


def bad_card(rng: random.Random) -> str:
    brand, number = card_number(rng)
    bad = number[:-1] + rng.choice([d for d in DIGITS if d != number[-1]])
    assert not luhn.is_valid(bad)
    return format_card(brand, bad, rng)


def _plan(text: str) -> list[tuple[str, int]]:
    """Parse "prefix:digits" pairs: the start of a national number and how many digits follow."""
    return [(prefix, int(n)) for prefix, n in (item.split(":") for item in text.split())]


PHONE_PLANS: dict[str, list[tuple[str, int]]] = {
    "IT": _plan("06:8 02:8 011:7 055:7 081:7 051:7 091:7 0432:6 0761:6 347:7 333:7 320:7 348:7 366:7 329:7 339:7"),
    "DE": _plan("30:8 89:8 40:8 221:7 69:8 228:7 261:7 711:7 151:8 160:7 170:7 176:8 152:8 172:7"),
    "FR": _plan("1:8 2:8 3:8 4:8 5:8 6:8 7:8 9:8"),
    "GB": _plan("20:8 161:7 121:7 131:7 113:7 117:7 141:7 29:8 74:8 75:8 77:8 78:8 79:8"),
    "US": _plan("202:7 212:7 312:7 415:7 617:7 703:7 571:7 910:7 619:7 713:7 757:7"),
    "AT": _plan("1:7 664:7"),
    "CH": _plan("44:7 31:7 79:7"),
    "ES": _plan("91:7 93:7 6:8"),
    "BE": _plan("2:7 4:8"),
    "NL": _plan("20:7 6:8"),
}
LANG_PHONE_COUNTRY = {"it": ["IT"], "de": ["DE"], "fr": ["FR"], "en": ["GB", "US"]}


def phone_number(country: str, rng: random.Random, international: bool = False) -> str:
    region_code = phonenumbers.country_code_for_region(country)
    for _ in range(10_000):
        prefix, n = rng.choice(PHONE_PLANS[country])
        rest = _digits(rng, n)
        if country == "US" and rng.random() < 0.25:
            rest = "55501" + _digits(rng, 2)
        num = phonenumbers.parse(f"+{region_code}{prefix}{rest}")
        if phonenumbers.is_valid_number(num):
            break
    else:
        raise AssertionError(f"no valid number for {country}")
    intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    natl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    if international or country not in {"IT", "DE", "FR", "GB", "US"}:
        styles = [intl, intl, e164]
    elif country == "DE":
        area, _, local = natl.partition(" ")
        styles = [intl, natl, natl, intl.replace("+49 ", "+49 (0)", 1), f"{area}/{local}", e164]
    elif country == "FR":
        styles = [intl, natl, natl, natl.replace(" ", "."), intl.replace("+33 ", "+33 (0)", 1)]
    elif country == "GB":
        styles = [intl, natl, natl, intl.replace("+44 ", "+44 (0)", 1)]
    elif country == "US":
        digits = re.sub(r"\D", "", natl)
        styles = [
            natl,
            natl,
            intl,
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
        ]
    else:
        styles = [intl, natl, natl, natl.replace(" ", ""), e164]
    text = rng.choice(styles)
    check = phonenumbers.parse(text, country)
    assert phonenumbers.is_valid_number(check), text
    return text


def ipv4(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if roll < 0.28:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if roll < 0.35:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    first = rng.choice([n for n in range(2, 224) if n not in (10, 100, 127, 169, 172, 192)])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    prefix = rng.choice([0x20010DB8, 0x2A0104F8, 0x2A021810, 0x20014860, 0x2A00_1450, 0x2001_0470])
    tail_words = [rng.randint(0, 0xFFFF) for _ in range(6)]
    if rng.random() < 0.5:
        tail_words[1:5] = [0, 0, 0, 0]
    value = (prefix << 96) | sum(w << (16 * (5 - i)) for i, w in enumerate(tail_words))
    return ipaddress.IPv6Address(value).compressed


# ---------------------------------------------------------------------------------------------
# Non-personal look-alikes used as hard negatives
# ---------------------------------------------------------------------------------------------


def nsn(rng: random.Random) -> str:
    fsc = rng.choice(["1560", "2840", "5330", "5340", "2530", "4320", "6130", "1005", "2915", "4730", "5935"])
    return f"{fsc}-{rng.choice(['00', '01', '12', '14', '15', '99', '21'])}-{_digits(rng, 3)}-{_digits(rng, 4)}"


def part_number(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_digits(rng, 2)}C{_digits(rng, 5)}-{rng.randint(1, 9)}",
            f"{_digits(rng, 4)}M{_digits(rng, 2)}-{rng.randint(1, 9)}",
            f"D{_digits(rng, 8)}-{rng.randint(1, 9)}",
            f"MS{_digits(rng, 5)}-{_digits(rng, 3)}",
            f"AN{_digits(rng, 3)}C{_digits(rng, 2)}L",
            f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
            f"HYD-{_digits(rng, 4)}-{_letters(rng, 1)}",
        ]
    )


def serial_number(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_digits(rng, 1)}{_letters(rng, 1)}{_digits(rng, 1)}-{_digits(rng, 4)}-{_letters(rng, 1)}",
            f"SN{rng.randint(2015, 2024)}{_digits(rng, 4)}",
            f"{_letters(rng, 3)}{_digits(rng, 5)}{_letters(rng, 1)}",
            f"{_letters(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 3)}",
        ]
    )


def order_number(rng: random.Random) -> str:
    return rng.choice(
        [
            f"PO-{rng.randint(2022, 2025)}-{_digits(rng, 6)}",
            f"45{_digits(rng, 8)}",
            f"ORD/{rng.randint(2022, 2025)}/{_digits(rng, 5)}",
            f"{rng.randint(2022, 2025)}/{_digits(rng, 5)}",
        ]
    )


def ticket_number(rng: random.Random) -> str:
    return rng.choice(
        [f"INC{_digits(rng, 7)}", f"REQ{_digits(rng, 9)}", f"OPS-{rng.randint(100, 9999)}", f"TKT-{_digits(rng, 5)}"]
    )


def version_string(rng: random.Random) -> str:
    a, b, c = rng.randint(1, 12), rng.randint(0, 30), rng.randint(0, 20)
    return rng.choice([f"v{a}.{b}.{c}", f"{a}.{b}.{c}", f"{rng.randint(2021, 2025)}.{b:02d}.{c}", f"v{a}.{b}.{c}-rc1"])


def coordinates(rng: random.Random) -> str:
    lat, lon = rng.uniform(36, 55), rng.uniform(-5, 19)
    return rng.choice(
        [
            f"{lat:.4f} N, {lon:.4f} E",
            f"{int(lat)}°{rng.randint(0, 59):02d}'{rng.randint(0, 59):02d}\"N {int(abs(lon))}°"
            f"{rng.randint(0, 59):02d}'{rng.randint(0, 59):02d}\"E",
            f"{lat:.4f}, {lon:.4f}",
            f"32T{_letters(rng, 2)} {_digits(rng, 5)} {_digits(rng, 5)}",
        ]
    )


def amount(lang: str, rng: random.Random) -> str:
    value = rng.choice([rng.randint(150, 9_999), rng.randint(10_000, 480_000)])
    cents = rng.randint(0, 99)
    if lang == "en":
        sym = rng.choice(["£", "$", "€"])
        return rng.choice([f"{sym}{value:,}", f"{sym}{value:,}.{cents:02d}", f"{value:,} {'EUR'}"])
    grouped = f"{value:,}".replace(",", "." if lang in ("it", "de") else "\u202f")
    return rng.choice(
        [f"{grouped},{cents:02d} €", f"{grouped} euro" if lang == "it" else f"{grouped} €", f"EUR {value}"]
    )


def time_of_day(lang: str, rng: random.Random) -> str:
    h, m = rng.randint(6, 22), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50])
    if lang == "fr":
        return rng.choice([f"{h}h{m:02d}", f"{h:02d}:{m:02d}"])
    if lang == "en" and rng.random() < 0.4:
        return f"{(h - 1) % 12 + 1}:{m:02d} {'am' if h < 12 else 'pm'}"
    return f"{h:02d}:{m:02d}" if lang != "it" or rng.random() < 0.6 else f"{h}.{m:02d}"


def generic_date(lang: str, rng: random.Random, after: date | None, style: int) -> tuple[date, str]:
    """A date that is not a birth date (meeting, expiry, transfer...); later than ``after`` if given."""
    if after is None:
        d = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000))
    else:
        d = after + timedelta(days=rng.randint(1, 90))
    return d, format_date(lang, d, style)


def tail_number(lang: str, rng: random.Random) -> str:
    if lang == "it":
        return f"MM{rng.randint(7000, 62300)}"
    if lang == "de":
        return f"{rng.choice(['30', '46', '54', '84', '98'])}+{rng.randint(1, 99):02d}"
    if lang == "fr":
        return f"F-{_letters(rng, 4)}"
    return f"{_letters(rng, 2, 'ZKHJ')}{rng.randint(100, 999)}"


def plate(lang: str, rng: random.Random) -> str:
    if lang == "it":
        return f"EI {_letters(rng, 2)} {rng.randint(100, 999)}"
    if lang == "de":
        return f"Y-{rng.randint(100, 999)} {rng.randint(100, 999)}"
    if lang == "fr":
        return f"{_letters(rng, 2)}-{rng.randint(100, 999)}-{_letters(rng, 2)}"
    return f"{rng.randint(10, 99)} {_letters(rng, 2)} {rng.randint(10, 99)}"


def reference(lang: str, rng: random.Random) -> str:
    prefix = {"en": "SEC", "fr": "DRH", "it": "PROT", "de": "SI"}[lang]
    return rng.choice(
        [f"{prefix}-{rng.randint(2021, 2025)}-{_digits(rng, 3)}", f"{_digits(rng, 4)}/{rng.randint(2021, 2025)}"]
    )


def invoice_number(rng: random.Random) -> str:
    year = rng.randint(2022, 2025)
    return rng.choice([f"INV-{_digits(rng, 5)}", f"FT-{year}-{_digits(rng, 5)}", f"RE-{year}-{_digits(rng, 4)}"])


def mac_address(rng: random.Random) -> str:
    sep = rng.choice([":", "-"])
    return sep.join(f"{rng.randint(0, 255):02X}" for _ in range(6))


def version_like_ip(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 40)}.{rng.randint(1, 250)}"


def room(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_letters(rng, 1, 'ABCDE')}-{rng.randint(100, 420)}",
            f"{rng.randint(1, 4)}.{rng.randint(1, 40):03d}",
            str(rng.randint(101, 499)),
            f"C{rng.randint(1, 3)}-{rng.randint(1, 20):02d}",
        ]
    )


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    first: str
    last: str
    sex: str
    origin: str
    birth: date
    cache: dict[str, str] = field(default_factory=dict)

    @property
    def full(self) -> str:
        return f"{self.last} {self.first}" if self.origin == "vi" else f"{self.first} {self.last}"


def _feminine_polish(surname: str) -> str:
    for ending in ("ski", "cki", "dzki"):
        if surname.endswith(ending):
            return surname[:-1] + "a"
    return surname


def make_person(lang: str, rng: random.Random, taken: set[str]) -> Person:
    while True:
        origin = weighted_choice(rng, ORIGIN_WEIGHTS[lang])
        males, females, surnames = NAMES[origin]
        sex = rng.choice("MF")
        first = rng.choice(males if sex == "M" else females)
        last = rng.choice(surnames)
        if origin == "pl" and sex == "F":
            last = _feminine_polish(last)
        if origin == "es" and rng.random() < 0.45:
            second = rng.choice(surnames)
            if second != last:
                last = f"{last} {second}"
        if origin in ("en", "de", "fr") and rng.random() < 0.05:
            second = rng.choice(surnames)
            if second != last and " " not in last + second and "-" not in last + second:
                last = f"{last}-{second}"
        if origin == "vi" and rng.random() < 0.35:
            first, last = fold(first), fold(last)
        if last not in taken:
            taken.add(last)
            break
    birth = date(1956, 1, 1) + timedelta(days=rng.randint(0, 48 * 365))
    return Person(first=first, last=last, sex=sex, origin=origin, birth=birth)


def person_email(p: Person, lang: str, rng: random.Random) -> str:
    def slug(s: str) -> str:
        return re.sub(r"[^a-z0-9-]", "", fold(s).lower().replace(" ", ""))

    f, last = slug(p.first), slug(p.last)
    local = rng.choice(
        [
            f"{f}.{last}",
            f"{f}.{last}",
            f"{f[0]}.{last}",
            f"{f}{last}",
            f"{last}.{f}",
            f"{f}_{last}{rng.randint(1, 99)}",
            f"{f}.{last}{rng.randint(60, 99)}",
            f"{f[0]}{last}",
        ]
    )
    return f"{local}@{rng.choice(MAIL_DOMAINS[lang])}"


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

PERSON_KINDS = {"person", "first", "last", "caps", "inv", "initial"}
KIND_TYPE: dict[str, str] = {k: "PERSON" for k in PERSON_KINDS}
KIND_TYPE |= {"email": "EMAIL_ADDRESS", "emailorg": "EMAIL_ADDRESS", "dob": "DATE_OF_BIRTH"}
KIND_TYPE |= {"cf": "IT_FISCAL_CODE", "nir": "FR_NIR", "idnr": "DE_TAX_ID", "nino": "UK_NINO", "ssn": "US_SSN"}
KIND_TYPE |= {"passport": "PASSPORT", "iban": "IBAN_CODE", "card": "CREDIT_CARD", "ip": "IP_ADDRESS"}
KIND_TYPE |= {"ipv": "IP_ADDRESS"}
KIND_TYPE |= {k: "PHONE_NUMBER" for k in ("phone", "phonegb", "phoneus", "phonex")}
KIND_TYPE |= {k: "LOCATION" for k in ("city", "cityf", "region", "country", "street", "base")}
ORG_KINDS = ("ministry", "agency", "police", "tax", "bank", "company", "unit", "univ", "hospital")
KIND_TYPE |= {k: "ORGANIZATION" for k in (*ORG_KINDS, "org")}
# Person-bound kinds: the digit after the kind names the person ({person2}, {email2}, {dob2}...).
PERSON_BOUND = PERSON_KINDS | {"email", "dob", "cf", "nir", "idnr", "nino", "ssn", "passport", "civ", "title"}
PERSON_BOUND |= {"oa", "fe", "anrede", "ilciv", "alciv", "badcf", "badnir"}
UNTYPED_KINDS = {"nat", "date", "time", "amount", "nsn", "pn", "sn", "order", "ticket", "version", "verip"}
UNTYPED_KINDS |= {"coords", "room", "qty", "year", "badiban", "badcard", "badcf", "badnir", "badidnr", "mac"}
UNTYPED_KINDS |= {"masked", "ref", "tail", "invoice", "plate", "civ", "title", "oa", "fe", "anrede", "ilciv", "alciv"}
# Kinds whose strings look like identifiers: a sentence with one of these is a hard negative.
LOOKALIKE_KINDS = {"nsn", "pn", "sn", "order", "ticket", "version", "verip", "coords", "badiban", "badcard"}
LOOKALIKE_KINDS |= {"badcf", "badnir", "badidnr", "mac", "masked", "ref", "tail", "invoice", "plate", "date", "amount"}
LOOKALIKE_KINDS |= {"time"}

PLACEHOLDER = re.compile(r"\{([a-z]+)(\d?)(?:\|([A-Za-z]+))?\}")


@dataclass
class Span:
    start: int
    end: int
    type: str
    text: str


@dataclass
class Context:
    lang: str
    rng: random.Random
    people: dict[str, Person] = field(default_factory=dict)
    values: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    taken_surnames: set[str] = field(default_factory=set)
    last_date: date | None = None
    date_style: int = -1

    def __post_init__(self) -> None:
        self.date_style = self.rng.randrange(60)  # one date format per sentence, as a writer would

    def next_date(self) -> str:
        self.last_date, text = generic_date(self.lang, self.rng, self.last_date, self.date_style)
        return text

    def person(self, idx: str) -> Person:
        if idx not in self.people:
            self.people[idx] = make_person(self.lang, self.rng, self.taken_surnames)
        return self.people[idx]

    def person_value(self, kind: str, p: Person) -> str:
        rng, lang = self.rng, self.lang
        if kind in p.cache:
            return p.cache[kind]
        value: str
        if kind == "person":
            value = p.full
        elif kind == "first":
            value = p.first
        elif kind == "last":
            value = p.last
        elif kind == "caps":
            value = f"{p.last.upper()} {p.first}"
        elif kind == "inv":
            value = f"{p.last}, {p.first}"
        elif kind == "initial":
            value = f"{p.first[0]}. {p.last}"
        elif kind == "email":
            value = person_email(p, lang, rng)
        elif kind == "dob":
            value = format_date(lang, p.birth, self.date_style)
        elif kind == "cf":
            value = codice_fiscale(p, rng)
        elif kind == "badcf":
            value = bad_codice_fiscale(p, rng)
        elif kind == "nir":
            value = format_nir(nir_number(p, rng), rng)
        elif kind == "badnir":
            value = bad_nir(p, rng)
        elif kind == "idnr":
            value = format_tax_id(tax_id(rng), rng)
        elif kind == "nino":
            value = nino(rng)
        elif kind == "ssn":
            value = ssn(rng)
        elif kind == "passport":
            country = PASSPORT_COUNTRY.get(p.origin)
            if country is None or rng.random() < 0.3:
                country = {"it": "IT", "de": "DE", "fr": "FR"}.get(lang) or rng.choice(["GB", "US"])
            if p.origin == "en":
                country = rng.choice(["GB", "US"])
            value = passport(country, rng)
        elif kind == "civ":
            value = rng.choice(CIVILITY[lang][p.sex])
        elif kind == "title":
            value = rng.choice(TITLES[lang][p.sex])
        elif kind == "oa":
            value = "a" if p.sex == "F" else "o"
        elif kind == "fe":
            value = "e" if p.sex == "F" else ""
        elif kind == "ilciv":
            value = "la Sig.ra" if p.sex == "F" else "il Sig."
        elif kind == "alciv":
            value = "alla Sig.ra" if p.sex == "F" else "al Sig."
        elif kind == "anrede":
            value = "Sehr geehrte Frau" if p.sex == "F" else "Sehr geehrter Herr"
        else:
            raise KeyError(kind)
        p.cache[kind] = value
        return value

    def org(self, kind: str) -> Org:
        pools = ORGS[self.lang]
        if kind == "org":
            kind = self.rng.choice(list(ORG_KINDS))
        return self.rng.choice(pools[kind])

    def free_value(self, kind: str) -> tuple[str, str]:
        """Return (value, grammatical class) for a kind that is not bound to a person."""
        rng, lang = self.rng, self.lang
        if kind in ORG_KINDS or kind == "org":
            return self.org(kind)
        simple: dict[str, Callable[[], str]] = {
            "city": lambda: rng.choice(CITIES[lang]),
            "cityf": lambda: rng.choice(FOREIGN_CITIES[lang]),
            "region": lambda: rng.choice(REGIONS[lang]),
            "country": lambda: rng.choice(COUNTRIES[lang]),
            "base": lambda: rng.choice(BASES[lang]),
            "street": lambda: address(lang, rng),
            "emailorg": lambda: f"{rng.choice(FUNCTIONAL_MAILBOXES[lang])}@{rng.choice(ORG_DOMAINS[lang])}",
            "phone": lambda: self.phone(),
            "phonegb": lambda: phone_number("GB", rng),
            "phoneus": lambda: phone_number("US", rng),
            "phonex": lambda: phone_number(rng.choice(["AT", "CH", "ES", "BE", "NL", "IT", "DE", "FR"]), rng, True),
            "iban": lambda: format_iban(iban_number(self.iban_country(), rng), rng),
            "card": lambda: format_card(*card_number(rng), rng),
            "ip": lambda: ipv4(rng) if rng.random() < 0.82 else ipv6(rng),
            "ipv": lambda: ipv6(rng),
            "nat": lambda: rng.choice(NATIONALITIES[lang]),
            "date": lambda: self.next_date(),
            "time": lambda: time_of_day(lang, rng),
            "amount": lambda: amount(lang, rng),
            "nsn": lambda: nsn(rng),
            "pn": lambda: part_number(rng),
            "sn": lambda: serial_number(rng),
            "order": lambda: order_number(rng),
            "ticket": lambda: ticket_number(rng),
            "version": lambda: version_string(rng),
            "verip": lambda: version_like_ip(rng),
            "coords": lambda: coordinates(rng),
            "room": lambda: room(rng),
            "qty": lambda: str(rng.choice([rng.randint(2, 48), rng.randint(50, 480)])),
            "year": lambda: str(rng.randint(2004, 2024)),
            "badiban": lambda: bad_iban(self.iban_country(), rng),
            "badcard": lambda: bad_card(rng),
            "badidnr": lambda: bad_tax_id(rng),
            "mac": lambda: mac_address(rng),
            "masked": lambda: _digits(rng, 4),
            "ref": lambda: reference(lang, rng),
            "tail": lambda: tail_number(lang, rng),
            "invoice": lambda: invoice_number(rng),
            "plate": lambda: plate(lang, rng),
        }
        return simple[kind](), ""

    def phone(self) -> str:
        if self.rng.random() < 0.82:
            return phone_number(self.rng.choice(LANG_PHONE_COUNTRY[self.lang]), self.rng)
        return phone_number(
            self.rng.choice(["IT", "DE", "FR", "GB", "US", "AT", "CH", "ES", "BE", "NL"]), self.rng, True
        )

    def iban_country(self) -> str:
        home = {"it": "IT", "de": "DE", "fr": "FR", "en": "GB"}[self.lang]
        return home if self.rng.random() < 0.45 else self.rng.choice(list(IBAN_LENGTH))

    def value(self, kind: str, idx: str) -> tuple[str, str]:
        if kind in PERSON_BOUND:
            return self.person_value(kind, self.person(idx)), ""
        key = (kind, idx)
        if key not in self.values:
            used = {v for (k, _), (v, _) in self.values.items() if KIND_TYPE.get(k) == KIND_TYPE.get(kind)}
            for _ in range(50):
                candidate = self.free_value(kind)
                if candidate[0] not in used and not (kind not in KIND_TYPE and accidental_identifier(candidate[0])):
                    break
            else:
                raise AssertionError(f"could not draw a fresh {kind}")
            self.values[key] = candidate
        return self.values[key]


def address(lang: str, rng: random.Random) -> str:
    if lang == "it":
        city, cap = rng.choice(POSTAL["it"])
        return f"{rng.choice(STREETS['it'])} {rng.randint(1, 180)}, {cap}{_digits(rng, 5 - len(cap))} {city}"
    if lang == "de":
        city, plz = rng.choice(POSTAL["de"])
        return f"{rng.choice(STREETS['de'])} {rng.randint(1, 120)}, {plz}{_digits(rng, 3)} {city}"
    if lang == "fr":
        city, cp = rng.choice(POSTAL["fr"])
        cp = f"750{rng.randint(1, 20):02d}" if city == "Paris" else cp + _digits(rng, 5 - len(cp))
        number = f"{rng.randint(1, 140)}{' bis' if rng.random() < 0.1 else ''}"
        return f"{number} {rng.choice(STREETS['fr'])}, {cp} {city}"
    if rng.random() < 0.65:
        city, outward = rng.choice(POSTAL["uk"])
        inward = f"{rng.randint(1, 9)}{_letters(rng, 2, 'ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{rng.randint(1, 240)} {rng.choice(STREETS['uk'])}, {city} {outward} {inward}"
    city, zip3 = rng.choice(POSTAL["us"])
    return f"{rng.randint(100, 9800)} {rng.choice(STREETS['us'])}, {city} {zip3}{_digits(rng, 2)}"


def article(lang: str, kind: str, gender: str, value: str, mod: str) -> str:
    """The article/preposition that precedes an entity (kept outside the span)."""
    low = mod.lower()
    if kind in ORG_KINDS or kind == "org":
        prefix = ARTICLES[lang][low][gender]
        if lang == "fr" and gender == "n" and low == "de" and value[0] in "AEIOUÉÈHaeiouéè":
            prefix = "d'"
    elif lang == "fr" and low == "de":
        prefix = "d'" if value[0] in "AEIOUÉÈÎaeiouéèî" else "de "
    else:
        raise ValueError(f"modifier {mod!r} not allowed on {kind!r} in {lang}")
    return prefix[:1].upper() + prefix[1:] if mod[:1].isupper() else prefix


def render(lang: str, template: str, rng: random.Random) -> tuple[str, list[Span], set[str]]:
    ctx = Context(lang, rng)
    parts: list[str] = []
    spans: list[Span] = []
    kinds: set[str] = set()
    pos = 0
    last = 0
    for m in PLACEHOLDER.finditer(template):
        literal = template[last : m.start()]
        parts.append(literal)
        pos += len(literal)
        kind, idx, mod = m.group(1), m.group(2) or "1", m.group(3) or ""
        kinds.add(kind)
        value, gender = ctx.value(kind, idx)
        if mod == "upper":
            value = value.upper()
        elif mod == "lower":
            value = value.lower()
        elif mod == "cap":
            value = value[:1].upper() + value[1:]
        elif mod:
            prefix = article(lang, kind, gender, value, mod)
            parts.append(prefix)
            pos += len(prefix)
        etype = KIND_TYPE.get(kind)
        if etype is not None:
            spans.append(Span(pos, pos + len(value), etype, value))
        parts.append(value)
        pos += len(value)
        last = m.end()
        if value.endswith(".") and template[last : last + 1] == ".":
            last += 1  # "... Leonardo S.p.A." closes the sentence: no second full stop
    parts.append(template[last:])
    text = "".join(parts)
    for s in spans:
        assert text[s.start : s.end] == s.text, (text, s)
    return text, spans, kinds


def template_types(template: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for m in PLACEHOLDER.finditer(template):
        kind = m.group(1)
        assert kind in KIND_TYPE or kind in UNTYPED_KINDS, f"unknown placeholder {kind!r} in {template!r}"
        if kind in KIND_TYPE:
            out[KIND_TYPE[kind]] += 1
    return out


# ---------------------------------------------------------------------------------------------
# Templates. Placeholders: {kind}, {kindN} (N = which person/value), {kind|mod} with mod in
# upper/lower or an article/preposition built outside the span (il/di/a/da, le/de/a, der/dem/bei/
# von/an/am/in/acc, the). Capitalised mod (Il, Le, Der, The) capitalises the article.
# ---------------------------------------------------------------------------------------------

TEMPLATES: dict[str, list[str]] = {
    "en": [
        "{person} was born on {dob} in {city} and joined {org|the} in {year}.",
        "Payroll update for {person}: National Insurance number {nino}, salary to be paid into {iban} from {date}.",
        "NI number: {nino}\nName: {caps}\nDate of birth: {dob}",
        "Hi {first}, could you call {person2} back on {phone}? It's about the travel claim for {city}.",
        "The suspicious transaction report concerns {person}, of {nat} nationality, who received {amount} from "
        "{company} into account {iban} between {date} and {date2}.",
        "Employee {inv} (SSN {ssn}) has requested relocation from {city} to {city2}.",
        "Subject: access request\nFrom: {person} <{email}>\n\nPlease grant me VPN access from {ip}. "
        "My line manager is {title2} {last2}.",
        "Officers of {police|the} at {city} airport stopped {person}, travelling on passport {passport}, "
        "date of birth {dob}.",
        "Maintenance log: the aircraft returned to the air base at {base} after the actuator (P/N {pn}) was "
        "replaced by technicians from {company}.",
        "Card {card} was used at {time} on {date} to buy fuel in {city}; the cardholder, {person}, disputes the "
        "charge.",
        "Login from {ip} for user {email} failed five times; the account was locked by the {company} security team.",
        "my name is {person|lower}, my national insurance number is {nino|lower} and i live at {street}",
        "Under the secondment agreement, {person} (Italian codice fiscale {cf}) will be paid by {company} in "
        "{country}.",
        "New starter: {person}, French social security number {nir}, starts at the {city} office on {date}.",
        "The German tax ID {idnr} belongs to our contractor {person}, based in {cityf}.",
        "{person} ({ssn}) and {person2} ({ssn2}) are listed as beneficiaries of the policy held with {bank}.",
        "Please book a flight from {city} to {cityf} for {title} {last}; passport no. {passport}, expiring {date}.",
        "surname,forename,dob,ni_number\n{last|upper},{first},{dob},{nino}",
        "According to {agency|the}, the funds were moved through {bank} and then to an account held by {person} "
        "in {country}.",
        "{caps}, born {dob}, SSN {ssn}, address: {street}.",
        "Can someone in {unit|the} confirm whether {title} {last} is still the point of contact at the air base "
        "at {base}? The last number we have is {phone}.",
        "{first} here, stuck at {city} station. Call me on {phonegb} or email {email}.",
        "{ministry|The} has asked {agency|the} to review the vetting file of {person}.",
        "Transfer instructions: beneficiary {person}, IBAN {iban}, reference {order}.",
        "Vetting form. Surname: {last|upper}. Forenames: {first}. DOB: {dob}. Place of birth: {city}. NINO: {nino}.",
        "I spoke to {person} at {hospital|the} this morning; the results will be sent to {emailorg}.",
        "The applicant, {person}, born on {dob}, holds passport {passport} and currently lives in {region}.",
        "{person} reported the card {card} as cloned after it was used in {cityf} on {date}.",
        "Firewall alert: outbound connection from {ip} to {ip2} on port 443, raised by the {company} SOC at {time}.",
        "The SSN on file for {person} is {ssn}; please verify it before the payroll run on {date}.",
        "Dear {title} {last},\nThank you for your application to {univ|the}. We will contact you on {phone} "
        "within ten working days.",
        "{person} (NI {nino}) claimed mileage for the trip from {city} to the air base at {base} on {date}.",
        "Lt {last} of {unit|the} has requested leave to visit family in {region}.",
        "A payment of {amount} from {iban} was flagged because the account holder, {person}, lives in {country} "
        "but the card {card} is used daily abroad.",
        "Contact list\n{person} - {phone}\n{person2} - {phone2}\n{person3} - {email3}",
        "Our records show that {person} was born on {dob}; the SSN provided, {ssn}, matches the records of {tax|the}.",
        "Host {ip} (IPv6 {ipv}) belongs to the {company} network in {city}.",
        "hey {first|lower}! did {first2} send you the hotel booking for {cityf}? my card {card} got declined again",
        "Passport number {passport} was reported stolen by its holder, {person}, at a police station in {city}.",
        "Please note that {person} has moved to {street}; the NI number {nino} stays the same.",
        "The German employee {person} gave tax ID {idnr} and the IBAN {iban} of an account with {bank}.",
        "{person}, French social security number {nir}, joins the liaison office of {unit|the} in {cityf}.",
        "Italian subcontractor {person} sent the codice fiscale {cf} from {email}.",
        "A US citizen, {person}, SSN {ssn}, DOB {dob}, was detained at {city} airport.",
        "{person} and {person2} from {company} will inspect the hangar at the air base at {base} on {date} at {time}.",
        "Emergency contact for {person}: {person2}, {phone}, {street}.",
        "The DOB on {last}'s form reads {dob}, but passport {passport} shows a different date.",
        "From: {emailorg}\nTo: {email}\nSubject: Your travel to {cityf}\n\nDear {first}, your booking reference "
        "is {order}.",
        "Colonel {last} told {person2} that {org|the} will not fund the upgrade this year.",
        "The account {iban} at {bank} belongs to {person}, whose UK National Insurance number is {nino}.",
        "{person} (SSN {ssn}), a former employee of {company}, now lives in {region}.",
        "Please reset the password for {email}; the request came from {ipv}.",
        "Wire details for {person2}: {iban}, {bank}. Approved by {person} on {date}.",
        "Yesterday at {time} {person} phoned the duty desk from {phone}. {first} said the convoy from {city} was "
        "delayed by two hours. Nobody else from {unit|the} called.",
        "The investigation into {company} found three transfers to {country}. The beneficiary, {person}, had "
        "opened the account at {bank} using passport {passport}. The case was referred to {police|the} on {date}.",
        "Letter from {tax|the} to {person}: your National Insurance number is {nino}.",
        "{person} (NINO {nino}) starts at {company} in {city} on {date}.",
        "W-2 summary: employee {person}, SSN {ssn}, employer {company}, state {region}.",
        "SSN: {ssn} | Name: {caps} | DOB: {dob}",
        "Chargeback request: cardholder {person}, card {card}, merchant in {cityf}, amount {amount}.",
        "{initial} ({email}) asked {agency|the} whether the SSN {ssn} can be removed from the shared drive.",
        "Please ask {title} {last} to countersign the maintenance release before {time}.",
        "The convoy will stop overnight in {city} and continue at {time}.",
        "Reminder: the quarterly audit by {org|the} starts on {date} in room {room}.",
        "Send the signed timesheets to {emailorg} by Friday.",
        "Call the duty officer on {phone} if the delivery of NSN {nsn} is late.",
        "The new IBAN for supplier refunds is {iban}; the old one closes on {date}.",
        # hard negatives: no personal data
        "Replace the hydraulic pump (NSN {nsn}) before {date}; purchase order {order} has already been approved.",
        "Ticket {ticket}: firmware {version} fails to boot on the unit with serial number {sn}.",
        "The IBAN {badiban} was rejected by the bank because the check digits are wrong.",
        "Card number {badcard} failed the Luhn check at the terminal, so the booking was not completed.",
        "Reminder: never send National Insurance numbers or passport details by email; use the secure portal "
        "(policy {ref}).",
        "The meeting has moved to {date} at {time} in room {room}; agenda: spares for gearbox P/N {pn}.",
        "Invoice {invoice} for {amount} is due on {date}.",
        "Grid reference {coords} marks the refuelling point; the convoy leaves at {time}.",
        "Build {verip} was deployed to the staging cluster on {date} without errors.",
        "The codice fiscale entered, {badcf}, is not valid: the check letter does not match.",
        "Number {badnir} is not a valid NIR because the key is wrong, so the form was sent back.",
        "The tax ID field contains {badidnr}, which fails the check digit test.",
        "Stock check: {qty} units of part {pn} and {qty2} of NSN {nsn} remain in bay {room}.",
        "Device with MAC {mac} obtained a DHCP lease at {time}; no user is associated with it.",
        "Case {ticket}: the personal data section was left blank, so no date of birth or passport number was recorded.",
        "Aircraft {tail} completed the {qty}-hour inspection; the next check is due on {date}.",
        "The card ending in {masked} was blocked on {date} after three failed PIN attempts.",
    ],
    "fr": [
        "{person}, né{fe} le {dob} à {city}, est affecté{fe} {unit|a} depuis {year}.",
        "Numéro de sécurité sociale : {nir}\nNom : {last|upper}\nPrénom : {first}",
        "Bonjour {first}, peux-tu rappeler {civ2} {last2} au {phone} avant {time} ?",
        "Déclaration de soupçon : {person}, de nationalité {nat}, a reçu {amount} sur le compte {iban} ouvert "
        "{bank|a}.",
        "L'agent {person} (NIR {nir}) demande le remboursement de sa mission à {city}.",
        "Le passeport n° {passport} de {civ} {person} expire le {date}.",
        "{person} ({company}) a signalé une fuite sur le vérin P/N {pn} après l'intervention sur la base "
        "aérienne de {base}.",
        "Objet : demande d'accès\nDe : {person} <{email}>\nMerci d'ouvrir le flux depuis l'adresse {ip} vers les "
        "serveurs {org|de}.",
        "nom;prénom;date_naissance;nir\n{last|upper};{first};{dob};{nir}",
        "La carte {card} a été utilisée le {date} à {time} dans une station-service {city|de}.",
        "{ministry|Le} a transmis {agency|a} le dossier {person|de}, domicilié{fe} {street}.",
        "salut c'est {first|lower}, mon numéro c'est le {phone} et mon mail {email}",
        "{civ} {last}, votre numéro de sécurité sociale {nir} est désormais enregistré auprès {tax|de}.",
        "Au contrôle frontière {city|de}, {person}, né{fe} le {dob}, présentait le passeport {passport}.",
        "{person} travaille pour {company|le} à {city} et donne des cours {univ|a}.",
        "Merci de virer {amount} sur l'IBAN {iban} au nom {person|de} avant le {date}.",
        "{civ} {person}, identifiant fiscal allemand {idnr}, est détaché{fe} à {cityf}.",
        "Fiche de renseignements – Nom : {last|upper} – Prénom(s) : {first} – Date de naissance : {dob} – "
        "Lieu de naissance : {city}",
        "{person} a été hospitalisé{fe} {hospital|a} ; un proche, {person2}, est joignable au {phone}.",
        "Le technicien {last} {unit|de} a remplacé la pompe hydraulique ; contact : {email}.",
        "L'adresse IP {ip} a tenté de se connecter au compte {email} depuis un serveur situé en {country}.",
        "Pour la mission à {cityf}, {civ} {person} voyagera avec {person2} ; départ le {date}.",
        "Le dossier de retraite {person|de} (n° de sécurité sociale {nir}, né{fe} le {dob}) a été transmis {tax|a}.",
        "{civ} {person}, ressortissant{fe} britannique, National Insurance number {nino}, sera rémunéré{fe} par "
        "{company|le}.",
        "Le numéro de sécurité sociale américain (SSN) {person|de} est le {ssn}.",
        "Plainte déposée au commissariat {city|de} : {person} signale l'utilisation frauduleuse de sa carte {card}.",
        "{person} ({email}) et {person2} ({email2}) participeront à la réunion du {date} au siège {org|de}.",
        "Coordonnées bancaires {caps|de} : {iban} ({bank}).",
        "{first}, tu peux envoyer le RIB {first2|de} à la compta ? c'est urgent pour le virement de {amount}",
        "Le serveur {ip} hébergé par {company|le} à {city} est compromis ; l'adresse IPv6 {ipv} est aussi concernée.",
        "{person}, domicilié{fe} {street}, tél. {phone}, NIR {nir}.",
        "Le colonel {last} commande désormais {unit|le}, à {city}.",
        "{person} est né{fe} le {dob} à {cityf} et réside à {city} depuis {year}.",
        "Nom : {caps}\nDate de naissance : {dob}\nN° de passeport : {passport}\nNationalité : {nat}",
        "Selon {agency|le}, {person} aurait reçu des virements en provenance {country|de}.",
        "Rappel : le capitaine {last} {unit|de} doit fournir son numéro de sécurité sociale ({nir}) avant le {date}.",
        "Nouvel arrivant : {person}, né{fe} le {dob}, NIR {nir}, affecté{fe} {univ|a}.",
        "Le virement de {amount} vers {iban} a été bloqué par {bank|le} ; le titulaire, {person}, réside en {country}.",
        "Message reçu à {time} depuis l'adresse {email} : « Bonjour, je suis {person}, voici mon numéro : {phone}. »",
        "Mot de passe réinitialisé pour {email} depuis l'adresse {ip}.",
        "La société {company} a facturé {amount} à {civ} {last} pour la maintenance du véhicule {plate}.",
        "{person} (code fiscal italien {cf}) a été recruté{fe} par {company|le} à {city}.",
        "Demande de congé : {civ} {person}, NIR {nir}, du {date} au {date2}, destination : {cityf}.",
        "ligne exportée : {caps};{nir};{city}",
        "Signalement : le passeport {passport} appartenant à {person} a été retrouvé à {city}.",
        "Paiement refusé : carte {card}, titulaire {person}, montant {amount}.",
        "Les agents {police|de} ont interpellé {person} à la gare {city|de}.",
        "{person}, numéro de sécu {nir}, a changé d'adresse : {street}.",
        "Compte rendu : {person} {unit|de} a inspecté le hangar de la base aérienne de {base} avec les équipes "
        "{company|de}.",
        "Salut {first}, le numéro {first2|de} c'est le {phone}, et son adresse mail {email2}.",
        "{person}, numéro de sécurité sociale américain {ssn}, vit désormais à {city}.",
        "Hier à {time}, {person} a appelé la permanence depuis le {phone}. {civ} {last} a indiqué que le convoi "
        "parti {city|de} aurait deux heures de retard. Personne d'autre {unit|de} n'a appelé.",
        "L'enquête sur {company|le} a mis au jour trois virements vers un compte ouvert en {country}. Le "
        "bénéficiaire, {person}, avait présenté le passeport {passport}. Le dossier a été transmis {agency|a} le "
        "{date}.",
        "Le NIR {nir} {person|de} a bien été vérifié par {tax|le}.",
        "Pour la paie britannique {person|de}, merci d'indiquer le National Insurance number {nino}.",
        "{civ} {last}, votre carte {card} a été débitée de {amount} le {date}.",
        "Bonjour {title} {last}, suite à votre appel du {date}, votre attestation sera envoyée à {emailorg}.",
        "Merci de demander à {civ} {last} de signer le bon de livraison avant {time}.",
        "Le convoi fera étape à {city} et repartira à {time}.",
        "Rappel : l'audit {org|de} débute le {date} en salle {room}.",
        "Envoyez les feuilles de temps signées à {emailorg} avant vendredi.",
        "En cas de retard de la livraison NSN {nsn}, appelez l'officier de permanence au {phone}.",
        "Le nouvel IBAN pour les remboursements fournisseurs est {iban} ; l'ancien sera clôturé le {date}.",
        # hard negatives
        "Remplacer la pompe hydraulique (NSN {nsn}) avant le {date} ; le bon de commande {order} est validé.",
        "Ticket {ticket} : le firmware {version} ne démarre pas sur l'équipement n° de série {sn}.",
        "L'IBAN {badiban} a été refusé par la banque : la clé de contrôle est erronée.",
        "Le numéro de carte {badcard} ne passe pas le contrôle de Luhn, la réservation a été annulée.",
        "Rappel : ne jamais transmettre de numéro de sécurité sociale par courriel ; utilisez la plateforme "
        "sécurisée (note {ref}).",
        "La réunion est reportée au {date} à {time}, salle {room} ; ordre du jour : pièces de rechange P/N {pn}.",
        "La facture {invoice} d'un montant de {amount} est à régler avant le {date}.",
        "Point de ravitaillement aux coordonnées {coords} ; départ du convoi à {time}.",
        "La version {verip} du logiciel a été déployée le {date} sur l'environnement de recette.",
        "Le NIR saisi, {badnir}, est invalide : la clé ne correspond pas.",
        "Le code fiscal italien {badcf} indiqué sur le formulaire comporte une erreur de caractère de contrôle.",
        "L'identifiant fiscal allemand {badidnr} a été rejeté car le chiffre de contrôle est faux.",
        "Inventaire : {qty} unités de la référence {pn} et {qty2} articles NSN {nsn} restent en alvéole {room}.",
        "L'équipement d'adresse MAC {mac} a obtenu un bail DHCP à {time} ; aucun utilisateur associé.",
        "Dossier {ticket} : aucune donnée personnelle, ni date de naissance ni numéro de passeport, n'a été "
        "communiquée.",
        "L'appareil {tail} a terminé la visite des {qty} heures ; prochaine inspection prévue le {date}.",
        "La carte se terminant par {masked} a été bloquée le {date} après trois codes erronés.",
    ],
    "it": [
        "{person}, nat{oa} a {city} il {dob}, è in servizio presso {unit|il} dal {year}.",
        "Nome: {first}\nCognome: {last|upper}\nCodice fiscale: {cf}\nData di nascita: {dob}",
        "Ciao {first}, puoi richiamare {ilciv2} {last2} al {phone} entro le {time}?",
        "Segnalazione di operazione sospetta: {person}, di nazionalità {nat}, ha ricevuto {amount} sul conto "
        "{iban} acceso presso {bank|il}.",
        "Richiesta di rimborso missione a {cityf} – dipendente: {caps}, C.F. {cf}.",
        "Il passaporto n. {passport} intestato {alciv} {person} scade il {date}.",
        "Dopo l'intervento presso la base aerea di {base}, {person} {company|di} ha segnalato una perdita "
        "sull'attuatore P/N {pn}.",
        "Oggetto: richiesta accesso VPN\nDa: {person} <{email}>\nChiedo l'abilitazione dall'indirizzo {ip} ai "
        "server {org|di}.",
        "cognome;nome;data_nascita;codice_fiscale\n{last|upper};{first};{dob};{cf}",
        "La carta {card} è stata utilizzata il {date} alle {time} presso un distributore di {city}.",
        "{ministry|Il} ha trasmesso {agency|a} il fascicolo di {person}, residente in {street}.",
        "ciao sono {first|lower}, il mio numero è {phone} e la mail {email}",
        "Gentile {civ} {last}, il Suo codice fiscale {cf} risulta correttamente registrato presso {tax|il}.",
        "Al controllo di frontiera di {city}, {person}, nat{oa} il {dob}, ha esibito il passaporto {passport}.",
        "{person} lavora per {company} a {city} e insegna presso {univ|il}.",
        "Si prega di bonificare {amount} sull'IBAN {iban} intestato a {person} entro il {date}.",
        "{person}, Steuer-ID tedesco {idnr}, è distaccat{oa} a {cityf}.",
        "Scheda anagrafica – Cognome: {last|upper} – Nome: {first} – Data di nascita: {dob} – Luogo di nascita: "
        "{city} – C.F.: {cf}",
        "{person} è stat{oa} ricoverat{oa} presso {hospital|il}; un familiare, {person2}, è raggiungibile al {phone}.",
        "Il tecnico {last} {unit|di} ha sostituito la pompa idraulica; contatto: {email}.",
        "L'indirizzo IP {ip} ha tentato di accedere all'account {email} da un server in {country}.",
        "Per la missione a {cityf}, {ilciv} {person} viaggerà con {person2}; partenza il {date}.",
        "La pratica pensionistica di {person} (C.F. {cf}, nat{oa} il {dob}) è stata inoltrata {tax|a}.",
        "{person}, cittadin{oa} britannic{oa}, National Insurance number {nino}, sarà retribuit{oa} {company|da}.",
        "Il numero di previdenza sociale statunitense (SSN) di {person} è {ssn}.",
        "Denuncia presentata al commissariato di {city}: {person} segnala l'uso fraudolento della carta {card}.",
        "{person} ({email}) e {person2} ({email2}) parteciperanno alla riunione del {date} presso la sede {org|di}.",
        "Coordinate bancarie di {caps}: {iban} ({bank}).",
        "{first} mi mandi l'IBAN di {first2}? serve per il rimborso di {amount}",
        "Il server {ip} ospitato da {company} a {city} è compromesso; coinvolto anche l'indirizzo IPv6 {ipv}.",
        "{person}, residente in {street}, tel. {phone}, C.F. {cf}.",
        "Il colonnello {last} assume il comando {unit|di}, con sede a {city}.",
        "{person} è nat{oa} il {dob} a {cityf} e risiede a {city} dal {year}.",
        "COGNOME E NOME: {caps}\nDATA DI NASCITA: {dob}\nPASSAPORTO N.: {passport}\nNAZIONALITÀ: {nat}",
        "Secondo {agency|il}, {person} avrebbe ricevuto bonifici provenienti da conti in {country}.",
        "Promemoria: il capitano {last} {unit|di} deve consegnare il codice fiscale ({cf}) entro il {date}.",
        "Nuova assunzione: {person}, nat{oa} il {dob}, C.F. {cf}, assegnat{oa} {univ|a}.",
        "Il bonifico di {amount} verso {iban} è stato bloccato {bank|da}; il titolare, {person}, risiede in {country}.",
        "Mail da {email} ricevuta alle {time}: «Buongiorno, sono {person}, il mio cellulare è {phone}.»",
        "Password reimpostata per {email} dall'indirizzo {ip}.",
        "La ditta {company} ha fatturato {amount} {alciv} {last} per la manutenzione del mezzo {plate}.",
        "{person} (numero di sicurezza sociale francese {nir}) è stat{oa} assunt{oa} {company|da} a {city}.",
        "Richiesta ferie: {civ} {person}, C.F. {cf}, dal {date} al {date2}, destinazione: {cityf}.",
        "riga esportata: {caps};{cf};{city}",
        "Segnalazione: il passaporto {passport} appartenente a {person} è stato ritrovato a {city}.",
        "Pagamento rifiutato: carta {card}, titolare {person}, importo {amount}.",
        "Gli agenti {police|di} hanno fermato {person} alla stazione di {city}.",
        "{person}, C.F. {cf}, ha cambiato indirizzo: {street}.",
        "Verbale: {person} {unit|di} ha ispezionato l'hangar della base aerea di {base} insieme ai tecnici "
        "{company|di}.",
        "Ciao {first}, il numero di {first2} è {phone}, la sua mail è {email2}.",
        "{person}, SSN statunitense {ssn}, vive ora a {city}.",
        "Ieri alle {time} {person} ha chiamato la sala operativa dal {phone}. {ilciv|cap} {last} ha riferito che il "
        "convoglio partito da {city} avrebbe due ore di ritardo. Nessun altro {unit|di} ha chiamato.",
        "L'indagine su {company} ha individuato tre bonifici verso un conto aperto in {country}. Il beneficiario, "
        "{person}, aveva presentato il passaporto {passport}. Il fascicolo è stato trasmesso {agency|a} il {date}.",
        "Per la busta paga britannica di {person} serve il National Insurance number {nino}.",
        "Data di nascita di {person}: {dob}. Recapito: {phone}.",
        "{title} {last}, la Sua carta {card} è stata addebitata di {amount} il {date}.",
        "Buongiorno {title} {last}, la pratica {ticket} è stata presa in carico; per informazioni scriva a {emailorg}.",
        "Chiedere {alciv} {last} di firmare il verbale di collaudo entro le {time}.",
        "La colonna farà tappa a {city} e ripartirà alle {time}.",
        "Promemoria: la verifica {org|di} inizia il {date} nella sala {room}.",
        "Inviare i fogli presenze firmati a {emailorg} entro venerdì.",
        "In caso di ritardo nella consegna NSN {nsn}, chiamare l'ufficiale di servizio al {phone}.",
        "Il nuovo IBAN per i rimborsi ai fornitori è {iban}; il vecchio sarà chiuso il {date}.",
        # hard negatives
        "Sostituire la pompa idraulica (NSN {nsn}) entro il {date}; l'ordine {order} è già approvato.",
        "Ticket {ticket}: il firmware {version} non si avvia sull'apparato con numero di serie {sn}.",
        "L'IBAN {badiban} è stato respinto dalla banca perché le cifre di controllo sono errate.",
        "Il numero di carta {badcard} non supera il controllo di Luhn: la prenotazione non è stata completata.",
        "Promemoria: non inviare mai codici fiscali o numeri di passaporto via e-mail; usare il portale sicuro "
        "(circolare {ref}).",
        "La riunione è spostata al {date} alle {time} in sala {room}; ordine del giorno: ricambi P/N {pn}.",
        "La fattura {invoice} di {amount} scade il {date}.",
        "Punto di rifornimento alle coordinate {coords}; partenza della colonna alle {time}.",
        "La build {verip} è stata rilasciata in ambiente di collaudo il {date}.",
        "Il codice fiscale inserito, {badcf}, non è valido: il carattere di controllo non corrisponde.",
        "Il NIR francese {badnir} riportato nel modulo ha la chiave errata.",
        "Lo Steuer-ID tedesco {badidnr} è stato rifiutato: la cifra di controllo è sbagliata.",
        "Inventario: {qty} pezzi del codice {pn} e {qty2} articoli NSN {nsn} nello scaffale {room}.",
        "Il dispositivo con MAC {mac} ha ottenuto un indirizzo DHCP alle {time}; nessun utente associato.",
        "Pratica {ticket}: nessun dato personale, né data di nascita né numero di passaporto, è stato comunicato.",
        "Il velivolo {tail} ha completato l'ispezione delle {qty} ore; prossimo controllo il {date}.",
        "La carta che termina con {masked} è stata bloccata il {date} dopo tre PIN errati.",
    ],
    "de": [
        "{person}, geboren am {dob} in {city}, ist seit {year} {unit|bei} eingesetzt.",
        "Steuerliche Identifikationsnummer: {idnr}\nName: {last|upper}\nVorname: {first}",
        "Hallo {first}, {civ2} {last2} bittet um Rückruf unter {phone}, bitte bis {time}.",
        "Verdachtsmeldung: {person}, {nat}e Staatsangehörigkeit, erhielt {amount} auf das Konto {iban} {bank|bei}.",
        "Der Reisekostenantrag von {person} (Steuer-ID {idnr}) für die Dienstreise nach {city} wurde genehmigt.",
        "Der Reisepass Nr. {passport} von {person} läuft am {date} ab.",
        "Nach der Instandsetzung auf dem Fliegerhorst {base} meldete {person} {company|von} ein Leck am "
        "Stellzylinder P/N {pn}.",
        "Betreff: VPN-Zugang\nVon: {person} <{email}>\nBitte schalten Sie den Zugang von der Adresse {ip} zu den "
        "Servern {org|von} frei.",
        "Nachname;Vorname;Geburtsdatum;Steuer-ID\n{last|upper};{first};{dob};{idnr}",
        "Die Karte {card} wurde am {date} um {time} an einer Tankstelle in {city} eingesetzt.",
        "{ministry|Der} hat die Akte von {person}, wohnhaft {street}, {agency|an} übergeben.",
        "hi, hier ist {first|lower}, meine nummer ist {phone} und meine mail {email}",
        "{anrede} {last}, Ihre Steuer-ID {idnr} ist {tax|bei} hinterlegt.",
        "Bei der Grenzkontrolle in {city} legte {person}, geboren am {dob}, den Reisepass {passport} vor.",
        "{person} arbeitet für {company} in {city} und lehrt {univ|am}.",
        "Bitte überweisen Sie {amount} auf die IBAN {iban}, Kontoinhaber: {person}, bis zum {date}.",
        "{person} ({cf}, italienische Steuernummer) wird nach {cityf} entsandt.",
        "Personalbogen – Name: {last|upper} – Vorname: {first} – Geburtsdatum: {dob} – Geburtsort: {city} – "
        "Steuer-ID: {idnr}",
        "{person} wurde {hospital|in} eingeliefert; Kontaktperson: {person2}, erreichbar unter {phone}.",
        "Techniker {last} {unit|von} hat die Hydraulikpumpe getauscht; Kontakt: {email}.",
        "Die IP-Adresse {ip} hat versucht, sich von einem Server in {country} aus beim Konto {email} anzumelden.",
        "Für die Dienstreise nach {cityf} fährt {person} zusammen mit {person2}; Abfahrt am {date}.",
        "Der Rentenantrag von {person} (Steuer-ID {idnr}, geboren am {dob}) wurde {tax|an} weitergeleitet.",
        "{person}, britische Staatsangehörigkeit, National Insurance Number {nino}, wird {company|von} bezahlt.",
        "Die US-Sozialversicherungsnummer (SSN) von {person} lautet {ssn}.",
        "Anzeige bei der Polizeiinspektion {city}: {person} meldet den Missbrauch der Kreditkarte {card}.",
        "{person} ({email}) und {person2} ({email2}) nehmen am {date} an der Besprechung {org|bei} teil.",
        "Bankverbindung von {caps}: {iban} ({bank}).",
        "{first}, schickst du mir die IBAN von {first2}? brauche sie für die Erstattung von {amount}",
        "Der Server {ip} bei {company} in {city} ist kompromittiert; betroffen ist auch die IPv6-Adresse {ipv}.",
        "{person}, wohnhaft {street}, Tel. {phone}, Steuer-ID {idnr}.",
        "Oberst {last} übernimmt das Kommando über {unit|acc} in {city}.",
        "{person} wurde am {dob} in {cityf} geboren und lebt seit {year} in {city}.",
        "Geburtsdatum: {dob}\nReisepassnummer: {passport}\nStaatsangehörigkeit: {nat}\nName: {caps}",
        "Laut {agency|dem} erhielt {person} Überweisungen von Konten in {country}.",
        "Erinnerung: Hauptmann {last} {unit|von} muss die Steuer-ID ({idnr}) bis zum {date} nachreichen.",
        "Neueinstellung: {person}, geboren am {dob}, Steuer-ID {idnr}, Einsatz {univ|am}.",
        "Die Überweisung von {amount} an {iban} wurde {bank|von} gestoppt; Kontoinhaber ist {person}, wohnhaft in "
        "{country}.",
        "Mail von {email} um {time}: „Guten Tag, hier ist {person}, meine Handynummer ist {phone}.“",
        "Das Passwort für {email} wurde von der IP-Adresse {ip} aus zurückgesetzt.",
        "{company} stellte {amount} für die Wartung des Fahrzeugs {plate} in Rechnung; Ansprechpartner war {person}.",
        "{person} (französische Sozialversicherungsnummer {nir}) wurde {company|von} in {city} eingestellt.",
        "Urlaubsantrag: {person}, Steuer-ID {idnr}, vom {date} bis {date2}, Reiseziel: {cityf}.",
        "Exportzeile: {caps};{idnr};{city}",
        "Meldung: Der Reisepass {passport} von {person} wurde in {city} gefunden.",
        "Zahlung abgelehnt: Karte {card}, Inhaber {person}, Betrag {amount}.",
        "Beamte {police|von} haben {person} am Hauptbahnhof {city} festgenommen.",
        "{person}, Steuer-ID {idnr}, ist umgezogen: {street}.",
        "Protokoll: {person} {unit|von} hat den Hangar auf dem Fliegerhorst {base} zusammen mit Technikern "
        "{company|von} geprüft.",
        "Hi {first}, die Nummer von {first2} ist {phone}, die Mail {email2}.",
        "{person}, US-Sozialversicherungsnummer {ssn}, lebt jetzt in {city}.",
        "Gestern um {time} rief {person} von {phone} aus die Wache an. {civ} {last} meldete, dass der Konvoi aus "
        "{city} zwei Stunden Verspätung hat. Sonst hat sich niemand {unit|von} gemeldet.",
        "Die Ermittlungen gegen {company|acc} ergaben drei Überweisungen auf ein Konto in {country}. Der Begünstigte, "
        "{person}, hatte den Reisepass {passport} vorgelegt. Der Vorgang wurde am {date} {agency|an} abgegeben.",
        "Für die britische Lohnabrechnung von {person} wird die National Insurance Number {nino} benötigt.",
        "Geburtsdatum von {person}: {dob}. Erreichbar unter {phone}.",
        "{anrede} {last}, Ihre Karte {card} wurde am {date} mit {amount} belastet.",
        "Guten Tag {title} {last}, Ihr Antrag {ticket} ist eingegangen; Rückfragen bitte an {emailorg}.",
        "Die Freigabebescheinigung muss bis {time} gegengezeichnet werden; zuständig ist {title} {last}.",
        "Die Kolonne übernachtet in {city} und fährt um {time} weiter.",
        "Erinnerung: Die Prüfung durch {org|acc} beginnt am {date} in Raum {room}.",
        "Bitte die unterschriebenen Stundenzettel bis Freitag an {emailorg} senden.",
        "Falls die Lieferung NSN {nsn} verspätet ist, bitte den Offizier vom Dienst unter {phone} anrufen.",
        "Die neue IBAN für Lieferantenerstattungen lautet {iban}; die alte wird am {date} geschlossen.",
        # hard negatives
        "Die Wartung der Hydraulikpumpe (NSN {nsn}) erfolgt im Hangar bis zum {date}; Bestellung {order} ist "
        "freigegeben.",
        "Ticket {ticket}: Firmware {version} startet nicht auf dem Gerät mit Seriennummer {sn}.",
        "Die IBAN {badiban} wurde von der Bank abgelehnt, weil die Prüfziffern falsch sind.",
        "Die Kartennummer {badcard} besteht die Luhn-Prüfung nicht; die Buchung wurde abgebrochen.",
        "Hinweis: Steuer-IDs und Reisepassnummern niemals per E-Mail versenden, sondern über das "
        "Sicherheitsportal (Merkblatt {ref}).",
        "Die Besprechung wird auf den {date} um {time} in Raum {room} verschoben; Thema: Ersatzteile Teile-Nr. {pn}.",
        "Die Rechnung {invoice} über {amount} ist am {date} fällig.",
        "Betankungspunkt bei {coords}; Abmarsch der Kolonne um {time}.",
        "Build {verip} wurde am {date} in der Testumgebung ausgerollt.",
        "Die eingetragene Steuer-ID {badidnr} ist ungültig: Die Prüfziffer stimmt nicht.",
        "Der italienische Codice Fiscale {badcf} im Formular hat ein falsches Kontrollzeichen.",
        "Die französische Sozialversicherungsnummer {badnir} wurde wegen eines falschen Schlüssels zurückgewiesen.",
        "Bestand: {qty} Stück der Teilenummer {pn} und {qty2} Artikel mit NSN {nsn} im Regal {room}.",
        "Das Gerät mit der MAC-Adresse {mac} hat um {time} eine DHCP-Adresse erhalten; kein Benutzer zugeordnet.",
        "Vorgang {ticket}: Es wurden keine personenbezogenen Daten, weder Geburtsdatum noch Passnummer, übermittelt.",
        "Das Luftfahrzeug {tail} hat die {qty}-Stunden-Inspektion abgeschlossen; nächste Prüfung am {date}.",
        "Die Karte mit der Endung {masked} wurde am {date} nach drei falschen PIN-Eingaben gesperrt.",
        "Die Instandsetzung des Getriebes im Werkstattbereich dauert voraussichtlich {qty} Tage; Auftrag {order}.",
    ],
}


# ---------------------------------------------------------------------------------------------
# Split, generation, checks
# ---------------------------------------------------------------------------------------------


RARE_TYPES = {"IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS", "IT_FISCAL_CODE", "FR_NIR", "DE_TAX_ID", "UK_NINO", "US_SSN"}
RARE_TYPES |= {"PASSPORT"}


def render_counts(lang: str) -> list[int]:
    """Sentences per template (PER_LANG in all): templates with a rare identifier type or with no
    entity at all (hard negatives) are rendered a little more often than the others."""
    weights = []
    for tpl in TEMPLATES[lang]:
        types = template_types(tpl)
        weights.append(2.0 if RARE_TYPES & set(types) else 1.0 if types else 1.8)
    shares = [PER_LANG * w / sum(weights) for w in weights]
    counts = [int(x) for x in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: PER_LANG - sum(counts)]:
        counts[i] += 1
    assert sum(counts) == PER_LANG
    return counts


def assign_splits() -> dict[tuple[str, int], str]:
    """Greedy split by template: rarest entity types first, keeping each type and each language balanced."""
    global_freq: Counter[str] = Counter()
    items: list[tuple[str, int, Counter[str], int]] = []
    for lang in LANGS:
        counts = render_counts(lang)
        for i, tpl in enumerate(TEMPLATES[lang]):
            types = template_types(tpl)
            weighted = Counter({t: c * counts[i] for t, c in types.items()})
            global_freq.update(weighted)
            items.append((lang, i, weighted, counts[i]))

    def rarity(item: tuple[str, int, Counter[str], int]) -> tuple[float, str, int]:
        _, _, weighted, _ = item
        rare = min((global_freq[t] for t in weighted), default=10**9)
        return (rare, item[0], item[1])

    items.sort(key=rarity)
    totals: dict[str, Counter[str]] = {"dev": Counter(), "test": Counter()}
    sizes: dict[tuple[str, str], int] = Counter()
    negatives: dict[tuple[str, str], int] = Counter()
    out: dict[tuple[str, int], str] = {}
    cap = PER_LANG // 2 + 6
    for lang, i, weighted, n in items:

        def cost(split: str, lang: str = lang, weighted: Counter[str] = weighted, n: int = n) -> float:
            if not weighted:
                return float(negatives[(lang, split)])
            return sum(totals[split][t] / global_freq[t] for t in weighted) + sizes[(lang, split)] / 10_000

        order = sorted(("dev", "test"), key=cost)
        split = order[0] if sizes[(lang, order[0])] + n <= cap else order[1]
        out[(lang, i)] = split
        totals[split].update(weighted)
        sizes[(lang, split)] += n
        if not weighted:
            negatives[(lang, split)] += n
    return out


def generate() -> tuple[dict[str, list[dict[str, object]]], set[str]]:
    """Render every template; return the records per split and the ids of sentences that carry an
    unannotated look-alike (identifier-like code, invalid checksum, generic date, amount...)."""
    splits = assign_splits()
    records: dict[str, list[dict[str, object]]] = {"dev": [], "test": []}
    lookalike_ids: set[str] = set()
    seen: set[str] = set()
    for lang in LANGS:
        per_split: dict[str, list[dict[str, object]]] = {"dev": [], "test": []}
        counts = render_counts(lang)
        for i, tpl in enumerate(TEMPLATES[lang]):
            rng = random.Random(f"{SEED}-{lang}-{i}")
            made = 0
            attempts = 0
            while made < counts[i]:
                attempts += 1
                assert attempts < 100, f"cannot render distinct sentences from {tpl!r}"
                text, spans, kinds = render(lang, tpl, rng)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                per_split[splits[(lang, i)]].append(
                    {
                        "lang": lang,
                        "text": text,
                        "spans": [{"start": s.start, "end": s.end, "type": s.type, "text": s.text} for s in spans],
                        "lookalike": bool(kinds & LOOKALIKE_KINDS),
                    }
                )
        number = 0
        for split in ("dev", "test"):
            rows = per_split[split]
            random.Random(f"{SEED}-{lang}-{split}-order").shuffle(rows)
            for row in rows:
                number += 1
                rid = f"{lang}-{number:04d}"
                if row.pop("lookalike"):
                    lookalike_ids.add(rid)
                records[split].append({"id": rid, **row})
    return records, lookalike_ids


SPAN_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "IBAN_CODE": std_iban.is_valid,
    "CREDIT_CARD": lambda s: luhn.is_valid(re.sub(r"[\s-]", "", s)),
    "IT_FISCAL_CODE": codicefiscale.is_valid,
    "FR_NIR": nir.is_valid,
    "DE_TAX_ID": idnr.is_valid,
    "US_SSN": lambda s: us_ssn.is_valid(s.replace(" ", "-")),
    "IP_ADDRESS": lambda s: bool(ipaddress.ip_address(s)),
}


def check(records: dict[str, list[dict[str, object]]]) -> None:
    ids: set[str] = set()
    for rows in records.values():
        for row in rows:
            rid, text, spans = str(row["id"]), str(row["text"]), row["spans"]
            assert rid not in ids, rid
            ids.add(rid)
            assert isinstance(spans, list)
            end = -1
            for span in sorted(spans, key=lambda s: int(s["start"])):
                start, stop = int(span["start"]), int(span["end"])
                assert start >= end, f"overlap in {rid}"
                assert text[start:stop] == span["text"], rid
                assert span["type"] in TYPES, span
                end = stop
                validator = SPAN_VALIDATORS.get(str(span["type"]))
                if validator is not None:
                    assert validator(str(span["text"])), (rid, span)
                if span["type"] == "PHONE_NUMBER":
                    lang = str(row["lang"])
                    region = {"it": "IT", "de": "DE", "fr": "FR", "en": "GB"}[lang]
                    parsed = phonenumbers.parse(str(span["text"]), region)
                    if not phonenumbers.is_valid_number(parsed):
                        parsed = phonenumbers.parse(str(span["text"]), "US")
                    assert phonenumbers.is_valid_number(parsed), (rid, span)


def literal_leaks() -> list[str]:
    """Entity vocabulary that appears in template literals (would be unannotated entities)."""
    vocab: set[str] = set()
    for lang in LANGS:
        vocab |= set(CITIES[lang]) | set(FOREIGN_CITIES[lang]) | set(REGIONS[lang]) | set(COUNTRIES[lang])
        vocab |= set(BASES[lang]) | {name for pool in ORGS[lang].values() for name, _ in pool}
    for males, females, surnames in NAMES.values():
        vocab |= {n for n in males + females + surnames if len(n) > 3}
    vocab -= {"Gentile"}  # an Italian surname, but also the salutation "Gentile Sig.ra ..."
    pattern = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, vocab), key=len, reverse=True)) + r")(?!\w)")
    found = []
    for lang in LANGS:
        for tpl in TEMPLATES[lang]:
            for m in pattern.finditer(PLACEHOLDER.sub(" ", tpl)):
                found.append(f"{lang}: {m.group(1)!r} in {tpl!r}")
    return found


def stats(records: dict[str, list[dict[str, object]]], lookalike_ids: set[str]) -> str:
    lines = []
    for split, rows in records.items():
        per_lang = Counter(str(r["lang"]) for r in rows)
        empty = Counter(str(r["lang"]) for r in rows if not r["spans"])
        hard = Counter(str(r["lang"]) for r in rows if not r["spans"] or r["id"] in lookalike_ids)
        types: Counter[tuple[str, str]] = Counter()
        for r in rows:
            spans = r["spans"]
            assert isinstance(spans, list)
            for s in spans:
                types[(str(s["type"]), str(r["lang"]))] += 1
        lines.append(f"\n### {split} ({len(rows)} sentences)\n")
        lines.append("| | " + " | ".join(LANGS) + " | total |")
        lines.append("|---|" + "---:|" * (len(LANGS) + 1))
        lines.append("| sentences | " + " | ".join(str(per_lang[x]) for x in LANGS) + f" | {len(rows)} |")
        lines.append(
            "| sentences with no span | " + " | ".join(str(empty[x]) for x in LANGS) + f" | {sum(empty.values())} |"
        )
        lines.append(
            "| hard-negative sentences | " + " | ".join(str(hard[x]) for x in LANGS) + f" | {sum(hard.values())} |"
        )
        for t in TYPES:
            row = [types[(t, x)] for x in LANGS]
            lines.append(f"| {t} | " + " | ".join(str(v) for v in row) + f" | {sum(row)} |")
        total = [sum(types[(t, x)] for t in TYPES) for x in LANGS]
        lines.append("| all spans | " + " | ".join(str(v) for v in total) + f" | {sum(total)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "tests/data/privacy")
    parser.add_argument("--stats", action="store_true", help="print per-split counts as Markdown tables")
    args = parser.parse_args()
    leaks = literal_leaks()
    assert not leaks, "\n".join(leaks)
    records, lookalike_ids = generate()
    check(records)
    args.out.mkdir(parents=True, exist_ok=True)
    for split, rows in records.items():
        with (args.out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {sum(len(r) for r in records.values())} sentences to {args.out}")
    if args.stats:
        print(stats(records, lookalike_ids))


if __name__ == "__main__":
    main()
